package dev.kairos.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kairos.core.protocol.Allocation;
import dev.kairos.core.protocol.Assignment;
import dev.kairos.core.protocol.Capacity;
import dev.kairos.core.protocol.Completion;
import dev.kairos.core.protocol.WorkerInfo;
import dev.kairos.core.run.AttemptState;
import dev.kairos.core.run.RunState;
import dev.kairos.core.spec.JobKey;
import dev.kairos.core.spec.JobManifest;
import dev.kairos.core.spec.JobManifestCodec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/**
 * Placement, part of the store contract (every store runs it): which attempts a worker is given,
 * for its capacity, cluster and labels, in what order, and within which limits.
 */
interface PlacementContract {
  Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
  Duration LEASE = Duration.ofSeconds(15);
  Duration LIVE = Duration.ofSeconds(15);
  RandomGenerator RANDOM = RandomGenerator.of("L64X128MixRandom");

  Store store();

  /** Applies a one-task job {@code name} with these spec lines and returns its key. */
  default JobKey placed(String name, String spec) {
    JobManifest m =
        JobManifestCodec.parseYaml(
            """
            apiVersion: kairos.dev/v1
            kind: Job
            metadata: {name: %s}
            spec:
            %s
            """
                .formatted(name, spec.indent(2)));
    store().applyJob(m, JobManifestCodec.toJson(m), null, T0);
    return m.key();
  }

  default RunRecord run(JobKey job, Instant at) {
    return store().createRun(NewRun.manual(job, null), at);
  }

  static WorkerInfo worker(String id, String cluster, String capacity, Map<String, String> labels) {
    return new WorkerInfo(id, "default", cluster, labels, Capacity.parse(capacity, null));
  }

  /** A live worker's claim: it is recorded as heard from at {@code now} first, as a poll does. */
  default List<Assignment> claim(WorkerInfo w, int max, Allocation free, Instant now) {
    store().recordWorker(w, now);
    return store().claimAttempts(new Claim(w, max, free, LIVE), now, Duration.ZERO, LEASE);
  }

  default List<Assignment> claimAll(WorkerInfo w, Instant now) {
    return claim(w, 100, Allocation.of(w.capacity()), now);
  }

  private static List<String> jobs(List<Assignment> got) {
    return got.stream().map(Assignment::job).toList();
  }

  @Test
  default void aWorkerGetsWhatFitsItsFreeCapacityAndABlockedHeadKeepsItsTurn() {
    run(
        placed(
            "big",
            "priority: 3\nresources: {requests: {cpu: \"2\", memory: 1Gi}}\ntask: {empty: {}}"),
        T0);
    run(placed("mid", "priority: 2\nresources: {requests: {cpu: \"1\"}}\ntask: {empty: {}}"), T0);
    run(placed("small", "priority: 1\nresources: {requests: {cpu: 500m}}\ntask: {empty: {}}"), T0);
    run(placed("huge", "priority: 9\nresources: {requests: {cpu: \"8\"}}\ntask: {empty: {}}"), T0);
    WorkerInfo w = worker("w4", "default", "cpu=4,memory=8Gi,slots=10", Map.of());
    // huge needs more than the worker has at all: it is skipped, not waited for; big fits the
    // worker but not its free 1.5 cpu, and nothing smaller passes it
    assertThat(claim(w, 10, new Allocation(1500, 8L << 30), T0)).isEmpty();
    // 3 cpu free: big and mid, not small (that would make 3.5)
    assertThat(jobs(claim(w, 10, new Allocation(3000, 8L << 30), T0)))
        .containsExactlyInAnyOrder("big", "mid");
    // small asks for no memory: half a cpu free is enough
    assertThat(jobs(claim(w, 10, new Allocation(500, 0), T0))).containsExactly("small");
    WorkerInfo w8 = worker("w8", "default", "cpu=8,memory=8Gi,slots=10", Map.of());
    assertThat(jobs(claimAll(w8, T0))).containsExactly("huge");
  }

  @Test
  default void slotsBoundAClaimWhateverItsRequests() {
    for (int i = 0; i < 5; i++) {
      run(placed("free", "task: {empty: {}}"), T0);
    }
    WorkerInfo w = worker("w", "default", "cpu=1,memory=1Gi,slots=3", Map.of());
    assertThat(claim(w, 3, Allocation.of(w.capacity()), T0)).hasSize(3);
  }

  /**
   * Whatever the requests, priorities and free capacity, a claim is the best-ranked run that fits.
   */
  @Test
  default void aClaimNeverExceedsTheFreeCapacityAndTakesTheBestRankedRunThatFits() {
    Random random = new Random(7);
    List<JobKey> kinds = new ArrayList<>();
    for (int k = 0; k < 6; k++) {
      kinds.add(
          placed(
              "k" + k,
              "priority: %d\nresources: {requests: {cpu: %dm, memory: %dMi}}\ntask: {empty: {}}"
                  .formatted(
                      random.nextInt(3), 100 * (1 + random.nextInt(10)), 64 * random.nextInt(8))));
    }
    WorkerInfo w = worker("w", "default", "cpu=2,memory=1Gi,slots=50", Map.of());
    for (int round = 0; round < 30; round++) {
      for (int i = 0; i < 8; i++) {
        run(kinds.get(random.nextInt(kinds.size())), T0.plusMillis(round));
      }
      Allocation free = new Allocation(random.nextLong(2_001), random.nextLong((1L << 30) + 1));
      List<Assignment> got = claim(w, 1 + random.nextInt(10), free, T0.plusSeconds(1));
      Allocation sum = Allocation.NONE;
      for (Assignment a : got) {
        sum = sum.plus(Allocation.requestedBy(a.task().resources()));
      }
      assertThat(sum.fits(free)).as("round %d: %s within %s", round, sum, free).isTrue();
      got.forEach(a ->
          store()
              .completeAttempts(
                  "w",
                  List.of(
                      new Completion(a.attemptId(), AttemptState.SUCCEEDED, 0, null)
                          .fenced(a.fence())),
                  T0.plusSeconds(1),
                  RANDOM));
    }
  }

  @Test
  default void runsGoToTheirClusterAndFailOverOnlyWhenItHasNoLiveWorker() {
    JobKey spread =
        placed("spread", "placement: {clusters: [{name: east}, {name: west}]}\ntask: {empty: {}}");
    JobKey pinned =
        placed("pinned", "placement: {clusters: [{name: west}], strict: true}\ntask: {empty: {}}");
    for (int i = 0; i < 20; i++) {
      run(spread, T0);
    }
    run(pinned, T0);
    WorkerInfo east = worker("e1", "east", "cpu=4,memory=4Gi,slots=100", Map.of());
    WorkerInfo west = worker("w1", "west", "cpu=4,memory=4Gi,slots=100", Map.of());
    store().recordWorker(west, T0);
    // west is live: east gets the east runs only
    List<Assignment> eastGot = claimAll(east, T0);
    assertThat(eastGot).isNotEmpty().allMatch(a -> a.job().equals("spread"));
    assertThat(eastGot.size()).isBetween(5, 15);
    // west goes quiet for longer than the liveness: its spread runs fail over to east, the strict
    // one waits for west
    Instant later = T0.plus(LIVE).plusSeconds(1);
    List<Assignment> failover = claimAll(east, later);
    assertThat(failover).hasSize(20 - eastGot.size()).allMatch(a -> a.job().equals("spread"));
    assertThat(claimAll(east, later)).isEmpty();
    assertThat(jobs(claimAll(west, later))).containsExactly("pinned");
  }

  @Test
  default void labelsSelectWorkers() {
    run(placed("gpu", "placement: {labels: {kairos.dev/gpu: \"true\"}}\ntask: {empty: {}}"), T0);
    WorkerInfo plain = worker("p", "default", "cpu=4,memory=4Gi,slots=10", Map.of("zone", "a"));
    WorkerInfo other =
        worker("o", "default", "cpu=4,memory=4Gi,slots=10", Map.of("kairos.dev/gpu", "false"));
    WorkerInfo gpu =
        worker(
            "g",
            "default",
            "cpu=4,memory=4Gi,slots=10",
            Map.of("kairos.dev/gpu", "true", "zone", "b"));
    assertThat(claimAll(plain, T0)).isEmpty();
    assertThat(claimAll(other, T0)).isEmpty();
    assertThat(jobs(claimAll(gpu, T0))).containsExactly("gpu");
  }

  @Test
  default void aLowPriorityAttemptOvertakesNewerHigherOnesOnceItWaitedLongEnough() {
    store().configurePool(new PoolSettings("default", null, Duration.ofSeconds(1)), T0);
    run(placed("low", "priority: 0\ntask: {empty: {}}"), T0);
    // priority 5 is worth 5 s of waiting: queued 10 s later, it comes after
    run(placed("high", "priority: 5\ntask: {empty: {}}"), T0.plusSeconds(10));
    run(placed("urgent", "priority: 20\ntask: {empty: {}}"), T0.plusSeconds(10));
    WorkerInfo w = worker("w", "default", "cpu=4,memory=4Gi,slots=10", Map.of());
    List<String> order = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      order.addAll(next(w, T0.plusSeconds(10)));
    }
    assertThat(order).containsExactly("urgent", "low", "high");
  }

  @Test
  default void withoutAgingPriorityIsStrict() {
    store().configurePool(new PoolSettings("default", null, Duration.ZERO), T0);
    run(placed("low", "priority: 0\ntask: {empty: {}}"), T0);
    run(placed("high", "priority: 1\ntask: {empty: {}}"), T0.plus(Duration.ofDays(7)));
    WorkerInfo w = worker("w", "default", "cpu=4,memory=4Gi,slots=10", Map.of());
    assertThat(next(w, T0.plus(Duration.ofDays(7)))).containsExactly("high");
  }

  /** The job of the one attempt {@code w} claims next at {@code at}, or none. */
  private List<String> next(WorkerInfo w, Instant at) {
    return jobs(claim(w, 1, Allocation.of(w.capacity()), at));
  }

  /** The default pool orders shortest-predicted-first, with this aging and window. */
  private void shortestFirst(Duration aging, Duration window) {
    store()
        .configurePool(
            new PoolSettings(
                "default", null, aging, DispatchOrder.SHORTEST_PREDICTED_FIRST, window),
            T0);
  }

  /** Runs {@code job} {@code times} times, one after the other, each for {@code each}. */
  private void history(JobKey job, int times, Duration each, Instant from) {
    WorkerInfo w = worker("h", "default", "cpu=4,memory=4Gi,slots=10", Map.of());
    Instant t = from;
    for (int i = 0; i < times; i++) {
      run(job, t);
      Assignment a = claimAll(w, t).get(0);
      t = t.plus(each);
      store()
          .completeAttempts(
              "h",
              List.of(
                  new Completion(a.attemptId(), AttemptState.SUCCEEDED, 0, null).fenced(a.fence())),
              t,
              RANDOM);
    }
  }

  @Test
  default void shortestPredictedFirstTakesTheShorterOfTwoDueTogetherWithinItsWindow() {
    JobKey slow = placed("slow", "task: {empty: {}}");
    JobKey quick = placed("quick", "task: {empty: {}}");
    history(slow, 5, Duration.ofMinutes(10), T0);
    history(quick, 5, Duration.ofSeconds(1), T0);
    Duration window = Duration.ofMinutes(10);
    shortestFirst(Duration.ZERO, window);
    Instant t = T0.plus(Duration.ofDays(1));
    WorkerInfo w = worker("w", "default", "cpu=4,memory=4Gi,slots=10", Map.of());
    // due together, the slow one queued first: the quick one goes first
    run(slow, t);
    run(quick, t);
    assertThat(next(w, t)).containsExactly("quick");
    assertThat(next(w, t)).containsExactly("slow");
    // the starvation bound: one due a whole window before the other goes first, however long
    Instant later = t.plus(Duration.ofHours(1));
    run(slow, later);
    run(quick, later.plus(window));
    Instant now = later.plus(window);
    assertThat(next(w, now)).containsExactly("slow");
    assertThat(next(w, now)).containsExactly("quick");
    // in a FIFO pool the same pair goes in the order it was queued
    store().configurePool(PoolSettings.defaults("default"), T0);
    Instant fifo = t.plus(Duration.ofHours(2));
    run(slow, fifo);
    run(quick, fifo);
    assertThat(next(w, fifo)).containsExactly("slow");
  }

  @Test
  default void shortestPredictedFirstNeverPassesAHigherPriority() {
    JobKey slow = placed("slow", "priority: 1\ntask: {empty: {}}");
    JobKey quick = placed("quick", "priority: 0\ntask: {empty: {}}");
    history(slow, 5, Duration.ofHours(2), T0);
    history(quick, 5, Duration.ofMillis(10), T0);
    shortestFirst(Duration.ofSeconds(1), Duration.ofSeconds(1));
    Instant t = T0.plus(Duration.ofDays(1));
    run(slow, t);
    run(quick, t);
    WorkerInfo w = worker("w", "default", "cpu=4,memory=4Gi,slots=10", Map.of());
    assertThat(next(w, t)).containsExactly("slow");
  }

  @Test
  default void aPoolRunsNoMoreThanItsMaxRunning() {
    store().configurePool(new PoolSettings("default", 2, PoolSettings.DEFAULT_AGING), T0);
    JobKey j = placed("limited", "task: {empty: {}}");
    for (int i = 0; i < 5; i++) {
      run(j, T0);
    }
    WorkerInfo a = worker("a", "default", "cpu=4,memory=4Gi,slots=10", Map.of());
    WorkerInfo b = worker("b", "default", "cpu=4,memory=4Gi,slots=10", Map.of());
    List<Assignment> first = claimAll(a, T0);
    assertThat(first).hasSize(2);
    assertThat(claimAll(b, T0)).isEmpty();
    store()
        .completeAttempts(
            "a",
            List.of(
                new Completion(first.get(0).attemptId(), AttemptState.SUCCEEDED, 0, null)
                    .fenced(first.get(0).fence())),
            T0,
            RANDOM);
    assertThat(claimAll(b, T0)).hasSize(1);
    assertThat(store().poolSettings("default").maxRunning()).isEqualTo(2);
    assertThat(store().listPoolSettings())
        .extracting(PoolSettings::name)
        .containsExactly("default");
  }

  @Test
  default void runsBeyondMaxActiveRunsWaitAndStartOldestFirst() {
    JobKey j = placed("serial", "maxActiveRuns: 1\ntask: {empty: {}}");
    RunRecord first = run(j, T0);
    RunRecord second = run(j, T0.plusSeconds(1));
    RunRecord third = run(j, T0.plusSeconds(2));
    assertThat(store().findRun(second.id()).orElseThrow().reason()).contains("maxActiveRuns");
    assertThat(store().attemptsOf(second.id())).isEmpty();
    WorkerInfo w = worker("w", "default", "cpu=4,memory=4Gi,slots=10", Map.of());
    List<Assignment> got = claimAll(w, T0.plusSeconds(3));
    assertThat(got).extracting(Assignment::runId).containsExactly(first.id());
    assertThat(store().releaseHeldRuns(T0.plusSeconds(3))).isZero();
    store()
        .completeAttempts(
            "w",
            List.of(
                new Completion(got.get(0).attemptId(), AttemptState.SUCCEEDED, 0, null)
                    .fenced(got.get(0).fence())),
            T0.plusSeconds(4),
            RANDOM);
    assertThat(store().releaseHeldRuns(T0.plusSeconds(4))).isEqualTo(1);
    assertThat(claimAll(w, T0.plusSeconds(5)))
        .extracting(Assignment::runId)
        .containsExactly(second.id());
    RunRecord waiting = store().findRun(third.id()).orElseThrow();
    assertThat(waiting.state()).isEqualTo(RunState.PENDING);
    // a held run can be cancelled, and is then never released
    store().cancelRun(third.id(), "not needed", T0.plusSeconds(6));
    assertThat(store().releaseHeldRuns(T0.plusSeconds(7))).isZero();
  }

  @Test
  default void liveWorkersShowWhatTheirAttemptsUseAndTheBacklogIsCountedPerCluster() {
    run(placed("r", "resources: {requests: {cpu: 1500m, memory: 1Gi}}\ntask: {empty: {}}"), T0);
    run(placed("q", "placement: {clusters: [{name: east}]}\ntask: {empty: {}}"), T0);
    WorkerInfo w = worker("w", "west", "cpu=4,memory=4Gi,slots=10", Map.of("zone", "a"));
    store().recordWorker(worker("e", "east", "cpu=2,memory=2Gi,slots=5", Map.of()), T0);
    assertThat(jobs(claimAll(w, T0))).containsExactly("r");
    Map<String, WorkerRecord> live = new HashMap<>();
    store().liveWorkers(T0.minusSeconds(1)).forEach(r -> live.put(r.info().workerId(), r));
    assertThat(live.get("w").used()).isEqualTo(new Allocation(1500, 1L << 30));
    assertThat(live.get("w").running()).isEqualTo(1);
    assertThat(live.get("w").info().labels()).isEqualTo(Map.of("zone", "a"));
    assertThat(live.get("e").used()).isEqualTo(Allocation.NONE);
    assertThat(store().backlog(T0)).containsExactly(new PoolBacklog("default", "east", 1, T0));
    assertThat(store().liveWorkers(T0.plusSeconds(1))).isEmpty();
    assertThat(store().pruneWorkers(T0.plusSeconds(1))).isEqualTo(2);
  }
}
