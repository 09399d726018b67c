package dev.kairos.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kairos.core.protocol.Completion;
import dev.kairos.core.run.AttemptState;
import dev.kairos.core.spec.EmptySpec;
import dev.kairos.core.spec.Resources;
import dev.kairos.core.spec.RetryPolicy;
import dev.kairos.core.spec.ShellSpec;
import dev.kairos.core.spec.TaskSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkerTest {
  @TempDir Path work;
  final FakeProtocol server = new FakeProtocol();
  Worker worker;

  static TaskSpec task(Object executor) {
    return new TaskSpec(
        "main",
        List.of(),
        (dev.kairos.core.spec.ExecutorSpec) executor,
        RetryPolicy.NONE,
        null,
        0,
        Resources.NONE);
  }

  static TaskSpec shell(String command) {
    return task(new ShellSpec(command, List.of(), Map.of(), null));
  }

  Worker start(int slots) {
    worker =
        new Worker(
            WorkerConfig.defaults()
                .withSlots(slots)
                .withHeartbeatInterval(Duration.ofMillis(100))
                .withWorkRoot(work),
            server);
    worker.start();
    return worker;
  }

  @AfterEach
  void stop() {
    if (worker != null) {
      worker.stop(Duration.ofSeconds(1));
    }
  }

  @Test
  void neverAsksForMoreThanItsFreeSlots() {
    server.add(shell("sleep 0.3"), 10);
    start(3);
    await().atMost(Duration.ofSeconds(10)).until(() -> server.completed.size() == 10);
    assertThat(server.pollMax).allMatch(n -> n >= 1 && n <= 3);
    assertThat(server.completed)
        .extracting(Completion::outcome)
        .containsOnly(AttemptState.SUCCEEDED);
  }

  @Test
  void completionsAreSentInBatches() {
    server.add(task(new EmptySpec()), 5_000);
    start(256);
    await().atMost(Duration.ofSeconds(20)).until(() -> server.completed.size() == 5_000);
    assertThat(server.completeBatchSizes.size()).isLessThan(1_000);
    assertThat(server.completed.stream().map(Completion::attemptId).distinct()).hasSize(5_000);
  }

  @Test
  void cancelFromAHeartbeatStopsTheAttemptWhichIsReportedCancelled() {
    server.add(shell("sleep 30"), 1);
    start(2);
    await().atMost(Duration.ofSeconds(5)).until(() -> worker.running() == 1);
    server.cancel.add(1L);
    await().atMost(Duration.ofSeconds(10)).until(() -> server.completed.size() == 1);
    assertThat(server.completed.get(0).outcome()).isEqualTo(AttemptState.CANCELLED);
  }

  @Test
  void anAttemptWhoseLeaseWasLostIsKilledAndNotReported() throws Exception {
    server.add(shell("sleep 30"), 1);
    start(2);
    await().atMost(Duration.ofSeconds(5)).until(() -> worker.running() == 1);
    server.lost.add(1L);
    await().atMost(Duration.ofSeconds(10)).until(() -> worker.running() == 0);
    Thread.sleep(300);
    assertThat(server.completed).isEmpty();
  }

  @Test
  void completionsSurviveAnUnreachableServer() {
    server.failNextCompletes.set(3);
    server.add(shell("echo hi"), 3);
    start(4);
    await().atMost(Duration.ofSeconds(20)).until(() -> server.completed.size() == 3);
    assertThat(server.completed)
        .extracting(Completion::outcome)
        .containsOnly(AttemptState.SUCCEEDED);
    assertThat(server.logs).isNotEmpty();
  }

  @Test
  void logsArriveBeforeTheirCompletion() {
    server.add(shell("echo first; echo second"), 1);
    start(1);
    await().atMost(Duration.ofSeconds(10)).until(() -> server.completed.size() == 1);
    assertThat(server.logs).extracting(c -> c.text()).containsExactly("first\nsecond\n");
  }

  @Test
  void stoppingGivesBackWhatDidNotFinishWithinTheGrace() {
    server.add(shell("sleep 30"), 2);
    start(2);
    await().atMost(Duration.ofSeconds(5)).until(() -> worker.running() == 2);
    worker.stop(Duration.ofMillis(300));
    assertThat(server.released).containsExactlyInAnyOrder(1L, 2L);
    assertThat(server.completed).isEmpty();
    worker = null;
  }
}
