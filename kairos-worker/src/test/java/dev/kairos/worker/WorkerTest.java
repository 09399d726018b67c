package dev.kairos.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kairos.core.protocol.Assignment;
import dev.kairos.core.protocol.Capacity;
import dev.kairos.core.protocol.Completion;
import dev.kairos.core.protocol.LeaseTerms;
import dev.kairos.core.protocol.WorkerInfo;
import dev.kairos.core.run.AttemptState;
import dev.kairos.core.spec.EmptySpec;
import dev.kairos.core.spec.Resources;
import dev.kairos.core.spec.RetryPolicy;
import dev.kairos.core.spec.ShellSpec;
import dev.kairos.core.spec.TaskSpec;
import dev.kairos.worker.executor.ExecutionContext;
import dev.kairos.worker.executor.Executor;
import dev.kairos.worker.executor.Outcome;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
    return start(
        WorkerConfig.defaults().withSlots(slots).withHeartbeatInterval(Duration.ofMillis(100)));
  }

  Worker start(WorkerConfig config) {
    worker = new Worker(config.withWorkRoot(work), server);
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
    assertThat(server.polls).allMatch(p -> p.max() >= 1 && p.max() <= 3);
    assertThat(server.completed)
        .extracting(Completion::outcome)
        .containsOnly(AttemptState.SUCCEEDED);
  }

  @Test
  void runsNoMoreThanItsCapacityAndGivesBackWhatDoesNotFit() {
    TaskSpec big =
        new TaskSpec(
            "main",
            List.of(),
            new ShellSpec("sleep 0.5", List.of(), Map.of(), null),
            RetryPolicy.NONE,
            null,
            0,
            new Resources(Map.of("cpu", "600m", "memory", "100Mi"), Map.of()));
    // a server that hands out whatever is queued, free capacity or not
    server.add(big, 3);
    start(
        WorkerConfig.defaults()
            .withCapacity(Capacity.parse("cpu=1,memory=1Gi,slots=10", null))
            .withHeartbeatInterval(Duration.ofMillis(100)));
    await().atMost(Duration.ofSeconds(10)).until(() -> server.released.size() == 2);
    await().atMost(Duration.ofSeconds(10)).until(() -> server.completed.size() == 1);
    // the first poll offered all of it; while the attempt ran, only what it left
    assertThat(server.polls.get(0).free().millicores()).isEqualTo(1000);
    assertThat(server.polls)
        .anySatisfy(p -> assertThat(p.free().millicores()).isEqualTo(400))
        .allSatisfy(p -> assertThat(p.free().memoryBytes()).isGreaterThanOrEqualTo(924L << 20));
  }

  @Test
  void anAttemptWhoseOutcomeIsNotDeliveredYetKeepsItsLease() {
    server.failNextCompletes.set(Integer.MAX_VALUE); // the server cannot record outcomes
    server.add(task(new EmptySpec()), 1);
    start(2);
    long id = 1;
    // it ended at once; while its completion waits for the next try, heartbeats renew its lease
    await().atMost(Duration.ofSeconds(10)).until(() -> server.heartbeats.size() > 0);
    await().atMost(Duration.ofSeconds(10)).until(() -> worker.running() == 0);
    int ended = server.heartbeats.size();
    await().atMost(Duration.ofSeconds(10)).until(() -> server.heartbeats.size() > ended + 2);
    assertThat(server.completed).isEmpty();
    assertThat(server.heartbeats.subList(ended + 1, server.heartbeats.size()))
        .as("heartbeats after it ended, its outcome undelivered")
        .allMatch(h -> h.contains(id));
    server.failNextCompletes.set(0);
    await().atMost(Duration.ofSeconds(20)).until(() -> server.completed.size() == 1);
    int delivered = server.heartbeats.size();
    await().atMost(Duration.ofSeconds(10)).until(() -> server.heartbeats.size() > delivered + 1);
    assertThat(server.heartbeats.subList(delivered + 1, server.heartbeats.size()))
        .as("once delivered, it is no longer held")
        .noneMatch(h -> h.contains(id));
  }

  @Test
  void completionsAreSentInBatches() {
    server.add(task(new EmptySpec()), 5_000);
    start(256);
    await().atMost(Duration.ofSeconds(20)).until(() -> server.completed.size() == 5_000);
    assertThat(server.completeBatchSizes.size()).isLessThan(1_000);
    assertThat(server.completed.stream().map(Completion::attemptId).distinct()).hasSize(5_000);
  }

  /** An empty-task executor that records when each attempt began. */
  static final class StartRecorder implements Executor {
    final Map<Long, Long> startedNanos = new ConcurrentHashMap<>();

    @Override
    public String type() {
      return "empty";
    }

    @Override
    public Outcome execute(Assignment a, ExecutionContext ctx) {
      startedNanos.put(a.attemptId(), System.nanoTime());
      return new Outcome.Succeeded();
    }
  }

  @Test
  void anAttemptHandedOutEarlyStartsWhenDue() {
    StartRecorder recorder = new StartRecorder();
    worker =
        new Worker(
            WorkerConfig.defaults().withSlots(4).withWorkRoot(work), server, List.of(recorder));
    long handedOut = System.nanoTime();
    server.addEarly(task(new EmptySpec()), 400);
    server.add(task(new EmptySpec()), 1);
    worker.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> server.completed.size() == 2);
    // the early one waited for its time; the other one, due at once, did not wait for it
    assertThat(recorder.startedNanos.get(1L) - handedOut)
        .isGreaterThanOrEqualTo(Duration.ofMillis(400).toNanos());
    assertThat(recorder.startedNanos.get(2L)).isLessThan(recorder.startedNanos.get(1L));
    assertThat(server.completed)
        .extracting(Completion::outcome)
        .containsOnly(AttemptState.SUCCEEDED);
  }

  @Test
  void anAttemptCancelledBeforeItIsDueNeverRuns() {
    StartRecorder recorder = new StartRecorder();
    worker =
        new Worker(
            WorkerConfig.defaults()
                .withSlots(4)
                .withHeartbeatInterval(Duration.ofMillis(100))
                .withWorkRoot(work),
            server,
            List.of(recorder));
    server.addEarly(task(new EmptySpec()), 30_000);
    server.cancel.add(1L);
    worker.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> server.completed.size() == 1);
    assertThat(server.completed.get(0).outcome()).isEqualTo(AttemptState.CANCELLED);
    assertThat(recorder.startedNanos).isEmpty();
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

  @Test
  void everyPollDeclaresPoolClusterLabelsAndCapacity() {
    Capacity capacity = new Capacity(500, 1L << 30, 2);
    start(
        WorkerConfig.defaults()
            .withPool("gpu")
            .withCluster("east")
            .withLabels(Map.of("zone", "a"))
            .withCapacity(capacity));
    await().atMost(Duration.ofSeconds(5)).until(() -> !server.polls.isEmpty());
    WorkerInfo declared = server.polls.get(0).worker();
    assertThat(declared.workerId()).isEqualTo(worker.workerId());
    assertThat(declared.pool()).isEqualTo("gpu");
    assertThat(declared.cluster()).isEqualTo("east");
    assertThat(declared.labels()).isEqualTo(Map.of("zone", "a"));
    assertThat(declared.capacity()).isEqualTo(capacity);
    assertThat(server.polls.get(0).max()).isEqualTo(2);
  }

  @Test
  void heartbeatsAtTheIntervalTheServerAnnounces() {
    server.terms = new LeaseTerms(Duration.ofSeconds(3), Duration.ofMillis(100));
    // the heartbeat loop starts waiting before the answer comes: 5s, which the answer cuts short
    server.termsDelayMillis = 300;
    server.add(shell("sleep 30"), 1);
    start(WorkerConfig.defaults().withSlots(1));
    await().atMost(Duration.ofSeconds(3)).until(() -> server.heartbeatSizes.size() >= 5);
  }

  @Test
  void itsOwnHeartbeatIntervalOverridesTheServers() {
    server.terms = new LeaseTerms(Duration.ofMinutes(3), Duration.ofMinutes(1));
    server.add(shell("sleep 30"), 1);
    start(WorkerConfig.defaults().withSlots(1).withHeartbeatInterval(Duration.ofMillis(100)));
    await().atMost(Duration.ofSeconds(3)).until(() -> server.heartbeatSizes.size() >= 5);
  }

  @Test
  void stopWaitsTheConfiguredGraceThenGivesBackTheRest() {
    server.add(shell("sleep 0.2"), 1);
    server.add(shell("sleep 30"), 1);
    start(WorkerConfig.defaults().withSlots(2).withShutdownGrace(Duration.ofSeconds(2)));
    await().atMost(Duration.ofSeconds(5)).until(() -> worker.running() == 2);
    worker.stop();
    assertThat(server.completed).extracting(Completion::attemptId).containsExactly(1L);
    assertThat(server.released).containsExactly(2L);
    worker = null;
  }
}
