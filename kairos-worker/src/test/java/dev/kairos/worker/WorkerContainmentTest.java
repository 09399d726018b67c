package dev.kairos.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kairos.core.protocol.LeaseTerms;
import dev.kairos.core.spec.Resources;
import dev.kairos.core.spec.RetryPolicy;
import dev.kairos.core.spec.ShellSpec;
import dev.kairos.core.spec.TaskSpec;
import dev.kairos.prerequisites.Processes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An attempt's processes die when the worker gives the attempt up: its lease lost, its lease about
 * to run out unrenewed, the worker stopping. Each task leaves its process group ({@code setsid}),
 * so that killing the group is not enough. Real processes, found by their command line.
 */
class WorkerContainmentTest {
  @TempDir Path work;
  final FakeProtocol server = new FakeProtocol();
  final List<String> sleeps = new ArrayList<>();
  Worker worker;

  @AfterEach
  void stop() {
    if (worker != null) {
      worker.stop(Duration.ofSeconds(1));
    }
    sleeps.forEach(s -> Processes.kill("sleep", s));
  }

  /** A number of seconds for {@code sleep} that names one process of this test. */
  String sleep() {
    String s = "2" + (10_000_000 + ThreadLocalRandom.current().nextInt(80_000_000));
    sleeps.add(s);
    return s;
  }

  /** A task that starts a process outside its process group, then waits. */
  TaskSpec escaping() {
    return new TaskSpec(
        "main",
        List.of(),
        new ShellSpec(
            "(setsid sleep " + sleep() + " &); sleep " + sleep(), List.of(), Map.of(), null),
        RetryPolicy.NONE,
        null,
        0,
        Resources.NONE);
  }

  void start(WorkerConfig config) {
    worker = new Worker(config.withWorkRoot(work), server);
    worker.start();
  }

  boolean allRunning() {
    return sleeps.stream().allMatch(s -> !Processes.running("sleep", s).isEmpty());
  }

  boolean allGone() {
    return sleeps.stream().allMatch(s -> Processes.running("sleep", s).isEmpty());
  }

  @Test
  void anAttemptWhoseLeaseCannotBeRenewedIsKilledBeforeTheLeaseRunsOut() throws Exception {
    Duration lease = Duration.ofSeconds(2);
    server.terms = new LeaseTerms(lease, Duration.ofMillis(300));
    server.add(escaping(), 1);
    start(WorkerConfig.defaults().withSlots(2));
    await().atMost(Duration.ofSeconds(10)).until(this::allRunning);
    await().atMost(Duration.ofSeconds(5)).until(() -> server.heartbeatAnswered.size() >= 2);
    server.heartbeatsFail = true;
    long lastRenewed = server.heartbeatAnswered.get(server.heartbeatAnswered.size() - 1);
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(this::allGone);
    long gone = System.nanoTime();
    // a retry elsewhere may start once the lease has run out: by then nothing of it may be left
    assertThat(Duration.ofNanos(gone - lastRenewed)).isLessThan(lease);
    Thread.sleep(300);
    assertThat(server.completed).as("its outcome is not reported: the lease decides").isEmpty();
  }

  @Test
  void aLostLeaseKillsProcessesThatLeftTheGroup() {
    server.add(escaping(), 1);
    start(WorkerConfig.defaults().withSlots(2).withHeartbeatInterval(Duration.ofMillis(100)));
    await().atMost(Duration.ofSeconds(10)).until(this::allRunning);
    server.lost.add(1L);
    await().atMost(Duration.ofSeconds(5)).until(this::allGone);
    assertThat(server.completed).isEmpty();
  }

  @Test
  void stoppingKillsEveryProcessOfWhatDidNotFinish() {
    server.add(escaping(), 1);
    start(WorkerConfig.defaults().withSlots(2).withHeartbeatInterval(Duration.ofMillis(100)));
    await().atMost(Duration.ofSeconds(10)).until(this::allRunning);
    worker.stop(Duration.ofMillis(300));
    worker = null;
    assertThat(server.released).containsExactly(1L);
    assertThat(allGone()).as("processes left after stop() returned").isTrue();
  }
}
