package dev.kairos.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.kairos.core.alert.AlertKind;
import dev.kairos.core.alert.Webhook;
import dev.kairos.core.predict.Sample;
import dev.kairos.core.protocol.Assignment;
import dev.kairos.core.protocol.Completion;
import dev.kairos.core.protocol.HeartbeatReply;
import dev.kairos.core.protocol.Lease;
import dev.kairos.core.protocol.LogChunk;
import dev.kairos.core.run.AttemptState;
import dev.kairos.core.run.RunState;
import dev.kairos.core.run.TriggerKind;
import dev.kairos.core.spec.JobKey;
import dev.kairos.core.spec.JobManifest;
import dev.kairos.core.spec.JobManifestCodec;
import dev.kairos.store.testing.SettableClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.random.RandomGenerator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every Store implementation must do; run against SQLite and PostgreSQL. Placement and
 * retention have contracts of their own, mixed in.
 */
abstract class StoreContract implements PlacementContract, RetentionContract {
  static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
  static final Duration LEASE = Duration.ofSeconds(15);
  static final RandomGenerator RANDOM = RandomGenerator.of("L64X128MixRandom");

  private final Deque<AutoCloseable> cleanups = new ArrayDeque<>();
  protected StoreConfig config;
  protected Store store;
  private final SettableClock clock = new SettableClock(RetentionContract.START);

  /** A new, empty database for one test. */
  protected abstract StoreConfig newDatabase() throws Exception;

  /** Whether several store instances (replicas) may share the database. */
  protected abstract boolean sharedByProcesses();

  protected void cleanup(AutoCloseable c) {
    cleanups.push(c);
  }

  @BeforeEach
  void open() throws Exception {
    config = newDatabase();
    store = open(config);
  }

  @Override
  public Store store() {
    return store;
  }

  @Override
  public SettableClock clock() {
    return clock;
  }

  Store open(StoreConfig c) {
    Store s = StoreFactory.open(c);
    cleanup(s::close);
    return s;
  }

  @AfterEach
  void close() throws Exception {
    while (!cleanups.isEmpty()) {
      cleanups.pop().close();
    }
  }

  static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  static JobManifest job(String name, String extra) {
    return JobManifestCodec.parseYaml(
        """
        apiVersion: kairos.dev/v1
        kind: Job
        metadata: {name: %s}
        spec:
          %s
          task: {shell: {command: "true"}}
        """
            .formatted(name, extra));
  }

  JobKey apply(JobManifest m, Instant next) {
    store.applyJob(m, JobManifestCodec.toJson(m), next, T0);
    return m.key();
  }

  RunRecord trigger(JobKey key) {
    return store.createRun(NewRun.manual(key, null), T0);
  }

  @Test
  void applyingMakesVersionsOnlyWhenTheManifestChanges() {
    JobManifest v1 = job("etl", "priority: 1");
    ApplyResult first = store.applyJob(v1, JobManifestCodec.toJson(v1), null, T0);
    assertThat(first.change()).isEqualTo(ApplyResult.Change.CREATED);
    assertThat(store.applyJob(v1, JobManifestCodec.toJson(v1), null, T0).change())
        .isEqualTo(ApplyResult.Change.UNCHANGED);
    JobManifest v2 = job("etl", "priority: 2");
    ApplyResult second = store.applyJob(v2, JobManifestCodec.toJson(v2), null, T0);
    assertThat(second.change()).isEqualTo(ApplyResult.Change.UPDATED);
    assertThat(second.job().version()).isEqualTo(2);
    assertThat(store.jobVersion(v1.key(), 1)).contains(v1);
    assertThat(store.jobVersion(v1.key(), 2)).contains(v2);
    assertThat(store.listJobs(null)).extracting(JobRecord::key).containsExactly(v1.key());
  }

  @Test
  void aRunIsCreatedAtMostOncePerJobAndFireTimeEvenWhenReplicasRace() throws Exception {
    Instant fire = T0.plusSeconds(60);
    JobKey key = apply(job("tick", "schedule: \"* * * * *\""), fire);
    List<Store> replicas = new ArrayList<>(List.of(store));
    if (sharedByProcesses()) {
      replicas.add(open(config));
      replicas.add(open(config));
    }
    TriggerPlanner planner =
        (j, active, now, horizon) ->
            new TriggerPlan(
                List.of(
                    new NewRun(
                        j.key(),
                        TriggerKind.SCHEDULE,
                        j.nextFireAt(),
                        null,
                        RunState.PENDING,
                        null)),
                List.of(),
                null,
                j.nextFireAt().plusSeconds(60),
                0);
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      List<Future<List<RunRecord>>> results = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        Store s = replicas.get(i % replicas.size());
        results.add(
            pool.submit(() -> s.fireDueTriggers(fire.plusSeconds(1), Duration.ZERO, 10, planner)));
      }
      int created = 0;
      for (Future<List<RunRecord>> f : results) {
        created += f.get().size();
      }
      assertThat(created).isEqualTo(1);
    } finally {
      pool.shutdown();
    }
    // a planner that tries the same fire again (a replica with a stale view) creates nothing
    store.applyJob(
        job("tick", "schedule: \"* * * * *\""),
        JobManifestCodec.toJson(job("tick", "schedule: \"* * * * *\"")),
        fire,
        T0);
    List<RunRecord> runs = store.listRuns(new RunQuery(key, null, 100, null));
    assertThat(runs).hasSize(1);
    assertThat(runs.get(0).fireTime()).isEqualTo(fire);
    assertThat(store.findJob(key).orElseThrow().nextFireAt()).isEqualTo(fire.plusSeconds(60));
    assertThat(
            store
                .createRun(
                    new NewRun(key, TriggerKind.SCHEDULE, fire, null, RunState.PENDING, null), T0)
                .id())
        .isEqualTo(runs.get(0).id());
    assertThat(store.listRuns(new RunQuery(key, null, 100, null))).hasSize(1);
  }

  @Test
  void theSameIdempotencyKeyReturnsTheSameRun() {
    JobKey key = apply(job("pay", ""), null);
    RunRecord a = store.createRun(NewRun.manual(key, "order-7"), T0);
    RunRecord b = store.createRun(NewRun.manual(key, "order-7"), T0.plusSeconds(5));
    RunRecord c = store.createRun(NewRun.manual(key, "order-8"), T0);
    assertThat(b.id()).isEqualTo(a.id());
    assertThat(c.id()).isNotEqualTo(a.id());
    assertThat(store.attemptsOf(a.id())).hasSize(1);
  }

  @Test
  void creatingARunOfAnUnknownJobFailsAndCreatesNothing() {
    assertThatThrownBy(
            () -> store.createRun(NewRun.manual(new JobKey("default", "ghost"), null), T0))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void claimsTakeHighestPriorityFirstAndRespectNotBefore() {
    JobKey low = apply(job("low", "priority: 1"), null);
    JobKey high = apply(job("high", "priority: 9"), null);
    RunRecord lowRun = trigger(low);
    RunRecord highRun = trigger(high);
    List<Assignment> first =
        store.claimAttempts(Claim.any("default", "w1", 1), T0, Duration.ZERO, LEASE);
    assertThat(first).extracting(Assignment::runId).containsExactly(highRun.id());
    assertThat(first.get(0).idempotencyKey()).isEqualTo("default/high/" + highRun.id() + "/main");
    assertThat(store.findRun(highRun.id()).orElseThrow().state()).isEqualTo(RunState.RUNNING);
    assertThat(store.claimAttempts(Claim.any("other-pool", "w1", 5), T0, Duration.ZERO, LEASE))
        .isEmpty();
    List<Assignment> second =
        store.claimAttempts(Claim.any("default", "w1", 5), T0, Duration.ZERO, LEASE);
    assertThat(second).extracting(Assignment::runId).containsExactly(lowRun.id());
    assertThat(store.claimAttempts(Claim.any("default", "w1", 5), T0, Duration.ZERO, LEASE))
        .isEmpty();
  }

  @Test
  void concurrentClaimersNeverGetTheSameAttempt() throws Exception {
    JobKey key = apply(job("many", ""), null);
    List<NewRun> runs = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      runs.add(NewRun.manual(key, null));
    }
    store.createRuns(runs, T0);
    List<Store> replicas = sharedByProcesses() ? List.of(store, open(config)) : List.of(store);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<List<Long>>> futures = new ArrayList<>();
      for (int w = 0; w < 4; w++) {
        Store s = replicas.get(w % replicas.size());
        String worker = "w" + w;
        Callable<List<Long>> claimer =
            () -> {
              List<Long> mine = new ArrayList<>();
              List<Assignment> got;
              while (!(got =
                      s.claimAttempts(Claim.any("default", worker, 37), T0, Duration.ZERO, LEASE))
                  .isEmpty()) {
                got.forEach(a -> mine.add(a.attemptId()));
              }
              return mine;
            };
        futures.add(pool.submit(claimer));
      }
      Set<Long> all = new HashSet<>();
      int total = 0;
      for (Future<List<Long>> f : futures) {
        List<Long> ids = f.get();
        total += ids.size();
        all.addAll(ids);
      }
      assertThat(total).isEqualTo(500);
      assertThat(all).hasSize(500);
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void heartbeatsExtendLeasesAndReportLostAndCancelledAttempts() {
    JobKey key = apply(job("hb", ""), null);
    RunRecord r1 = trigger(key);
    RunRecord r2 = trigger(key);
    List<Assignment> claimed =
        store.claimAttempts(Claim.any("default", "w1", 2), T0, Duration.ZERO, LEASE);
    Lease a1 = claimed.stream().filter(a -> a.runId() == r1.id()).findFirst().orElseThrow().lease();
    Lease a2 = claimed.stream().filter(a -> a.runId() == r2.id()).findFirst().orElseThrow().lease();
    store.cancelRun(r2.id(), "stop", T0);
    HeartbeatReply reply =
        store.heartbeat("w1", List.of(a1, a2, new Lease(999_999L, 1)), T0.plusSeconds(10), LEASE);
    assertThat(reply.cancel()).containsExactly(a2.attemptId());
    assertThat(reply.lost()).containsExactly(999_999L);
    // renewed: not expired 20 s after the claim, only after the new lease ends
    assertThat(store.reapExpiredLeases(T0.plusSeconds(20), 100, RANDOM).accepted()).isZero();
    assertThat(store.heartbeat("w2", List.of(a1), T0.plusSeconds(11), LEASE).lost())
        .containsExactly(a1.attemptId());
    // the right worker with another claim's fence holds nothing either
    assertThat(
            store
                .heartbeat(
                    "w1",
                    List.of(new Lease(a1.attemptId(), a1.fence() + 1)),
                    T0.plusSeconds(12),
                    LEASE)
                .lost())
        .containsExactly(a1.attemptId());
  }

  @Test
  void eachClaimOfAnAttemptCarriesItsOwnFence() {
    RunRecord run = trigger(apply(job("fenced", ""), null));
    Assignment first =
        store.claimAttempts(Claim.any("default", "w1", 1), T0, Duration.ZERO, LEASE).get(0);
    assertThat(first.fence()).isPositive().isLessThan(1L << 53);
    assertThat(store.releaseAttempts("w1", List.of(first.lease()), T0)).isEqualTo(1);
    Assignment second =
        store.claimAttempts(Claim.any("default", "w1", 1), T0, Duration.ZERO, LEASE).get(0);
    assertThat(second.attemptId()).isEqualTo(first.attemptId());
    assertThat(second.fence()).isNotEqualTo(first.fence());

    // the same worker, under the claim it gave back: refused, nothing changed
    Completion stale =
        new Completion(first.attemptId(), AttemptState.SUCCEEDED, 0, null).fenced(first.fence());
    assertThatThrownBy(() -> store.completeAttempts("w1", List.of(stale), T0, RANDOM))
        .isInstanceOf(ConflictException.class)
        .hasMessageContaining("attempt " + first.attemptId());
    assertThat(store.releaseAttempts("w1", List.of(first.lease()), T0)).isZero();
    assertThat(
            store.appendLogs(
                "w1",
                List.of(new LogChunk(first.attemptId(), 0, "stdout", 1, "old\n", first.fence()))))
        .containsExactly(first.attemptId());
    assertThat(store.logsOfRun(run.id())).isEmpty();
    assertThat(store.attemptsOf(run.id()).get(0).state()).isEqualTo(AttemptState.RUNNING);

    // under the current claim: accepted
    assertThat(
            store.appendLogs(
                "w1",
                List.of(new LogChunk(second.attemptId(), 0, "stdout", 1, "new\n", second.fence()))))
        .isEmpty();
    Completion current =
        new Completion(second.attemptId(), AttemptState.SUCCEEDED, 0, null).fenced(second.fence());
    assertThat(store.completeAttempts("w1", List.of(current), T0, RANDOM).accepted()).isEqualTo(1);
    assertThat(store.findRun(run.id()).orElseThrow().state()).isEqualTo(RunState.SUCCEEDED);
  }

  @Test
  void releasedAttemptsAreQueuedAgainAtOnce() {
    RunRecord run = trigger(apply(job("rel", ""), null));
    Assignment a =
        store.claimAttempts(Claim.any("default", "w1", 1), T0, Duration.ZERO, LEASE).get(0);
    assertThat(store.releaseAttempts("w2", List.of(a.lease()), T0)).isZero();
    assertThat(store.releaseAttempts("w1", List.of(a.lease()), T0.plusSeconds(1))).isEqualTo(1);
    List<Assignment> again =
        store.claimAttempts(Claim.any("default", "w2", 1), T0.plusSeconds(1), Duration.ZERO, LEASE);
    assertThat(again).extracting(Assignment::attemptId).containsExactly(a.attemptId());
    assertThat(again.get(0).attempt()).isEqualTo(1);
    assertThat(store.heartbeat("w1", List.of(a.lease()), T0.plusSeconds(2), LEASE).lost())
        .containsExactly(a.attemptId());
    assertThat(store.findRun(run.id()).orElseThrow().state()).isEqualTo(RunState.RUNNING);
  }

  /** Claims the run's next attempt as {@code worker} at {@code at}, then lets its lease expire. */
  private void loseNextAttempt(String worker, Instant at) {
    assertThat(store.claimAttempts(Claim.any("default", worker, 1), at, Duration.ZERO, LEASE))
        .hasSize(1);
    assertThat(store.reapExpiredLeases(at.plus(LEASE).plusSeconds(1), 100, RANDOM).accepted())
        .isEqualTo(1);
  }

  /**
   * A worker killed while its long poll was open still got the attempt; a lease later it was LOST
   * and, for a job without retries, the run FAILED. Lost is not failed: a lost attempt is queued
   * again at once under its own budget (retryPolicy.maxLost, default 3), not the task's retries.
   */
  @Test
  void aLostAttemptIsQueuedAgainAtOnceWithoutUsingARetry() {
    RunRecord run = trigger(apply(job("lost", ""), null));
    loseNextAttempt("dead", T0);
    List<AttemptRecord> attempts = store.attemptsOf(run.id());
    assertThat(attempts)
        .extracting(AttemptRecord::state)
        .containsExactly(AttemptState.LOST, AttemptState.QUEUED);
    assertThat(attempts.get(1).notBefore()).isEqualTo(T0.plus(LEASE).plusSeconds(1));
    assertThat(store.findRun(run.id()).orElseThrow().state()).isEqualTo(RunState.RUNNING);
    // the next attempt runs and succeeds: the run succeeds
    Assignment next =
        store
            .claimAttempts(Claim.any("default", "w2", 1), T0.plusSeconds(20), Duration.ZERO, LEASE)
            .get(0);
    store.completeAttempts(
        "w2",
        List.of(
            new Completion(next.attemptId(), AttemptState.SUCCEEDED, 0, null).fenced(next.fence())),
        T0.plusSeconds(21),
        RANDOM);
    assertThat(store.findRun(run.id()).orElseThrow().state()).isEqualTo(RunState.SUCCEEDED);
  }

  @Test
  void lossesPastMaxLostCountAsFailuresOfTheTask() {
    RunRecord run =
        trigger(
            apply(
                job("flaky", "retryPolicy: {maxRetries: 1, maxLost: 2, initialInterval: 1s}"),
                null));
    Instant t = T0;
    for (int i = 0; i < 3; i++) {
      loseNextAttempt("dead-" + i, t);
      t = t.plus(LEASE).plusSeconds(2);
    }
    // two losses forgiven, the third used the one retry; a fourth loss fails the run
    assertThat(store.attemptsOf(run.id()))
        .extracting(AttemptRecord::state)
        .containsExactly(
            AttemptState.LOST, AttemptState.LOST, AttemptState.LOST, AttemptState.QUEUED);
    assertThat(store.findRun(run.id()).orElseThrow().state()).isEqualTo(RunState.RUNNING);
    loseNextAttempt("dead-3", t.plusSeconds(5));
    assertThat(store.findRun(run.id()).orElseThrow().state()).isEqualTo(RunState.FAILED);
  }

  @Test
  void aFailureAfterForgivenLossesStillHasItsRetries() {
    RunRecord run =
        trigger(apply(job("mixed", "retryPolicy: {maxRetries: 1, initialInterval: 1s}"), null));
    loseNextAttempt("dead", T0);
    Assignment next =
        store
            .claimAttempts(Claim.any("default", "w2", 1), T0.plusSeconds(20), Duration.ZERO, LEASE)
            .get(0);
    store.completeAttempts(
        "w2",
        List.of(
            new Completion(next.attemptId(), AttemptState.FAILED, 1, null).fenced(next.fence())),
        T0.plusSeconds(21),
        RANDOM);
    // the loss did not count: the failure is the first, and the one retry follows
    assertThat(store.attemptsOf(run.id()))
        .extracting(AttemptRecord::state)
        .containsExactly(AttemptState.LOST, AttemptState.FAILED, AttemptState.QUEUED);
    assertThat(store.findRun(run.id()).orElseThrow().state()).isEqualTo(RunState.RUNNING);
  }

  /**
   * The poison pill: a retry interval of 999999999999 days, which a job applied before the bounds
   * existed may still hold. Its first failure made every completion batch (and then the reaper)
   * fail with "long overflow"; the retry is now due at the latest time the store holds.
   */
  @Test
  void aRetryIntervalStoredBeforeItsBoundSaturatesInsteadOfOverflowing() {
    JobManifest poison =
        JobManifestCodec.parseStoredJson(
            """
            {"apiVersion": "kairos.dev/v1", "kind": "Job", "metadata": {"name": "poison"},
             "spec": {"retryPolicy": {"maxRetries": 2, "initialInterval": "999999999999d",
                      "maxInterval": "999999999999d"},
                      "task": {"shell": {"command": "exit 1"}}}}
            """);
    RunRecord run = trigger(apply(poison, null));
    Assignment a =
        store.claimAttempts(Claim.any("default", "w1", 1), T0, Duration.ZERO, LEASE).get(0);
    Completed done =
        store.completeAttempts(
            "w1",
            List.of(new Completion(a.attemptId(), AttemptState.FAILED, 1, null).fenced(a.fence())),
            T0.plusSeconds(1),
            RANDOM);
    assertThat(done.accepted()).isEqualTo(1);
    List<AttemptRecord> attempts = store.attemptsOf(run.id());
    assertThat(attempts)
        .extracting(AttemptRecord::state)
        .containsExactly(AttemptState.FAILED, AttemptState.QUEUED);
    assertThat(attempts.get(1).notBefore()).isEqualTo(dev.kairos.core.time.Saturating.LATEST);
  }

  @Test
  void aLateCompletionAfterTheLeaseWasReapedIsRejected() {
    JobKey key = apply(job("late", "retryPolicy: {maxRetries: 1, initialInterval: 1s}"), null);
    RunRecord run = trigger(key);
    Assignment a =
        store.claimAttempts(Claim.any("default", "w1", 1), T0, Duration.ZERO, LEASE).get(0);
    assertThat(store.reapExpiredLeases(T0.plusSeconds(16), 100, RANDOM).ended())
        .extracting(AttemptEnd::task, AttemptEnd::state, AttemptEnd::ran)
        .containsExactly(tuple("main", AttemptState.LOST, Duration.ofSeconds(16)));
    Completion late =
        new Completion(a.attemptId(), AttemptState.SUCCEEDED, 0, null).fenced(a.fence());
    assertThatThrownBy(
            () -> store.completeAttempts("w1", List.of(late), T0.plusSeconds(17), RANDOM))
        .isInstanceOf(ConflictException.class);
    List<AttemptRecord> attempts = store.attemptsOf(run.id());
    assertThat(attempts)
        .extracting(AttemptRecord::state)
        .containsExactly(AttemptState.LOST, AttemptState.QUEUED);
    assertThat(attempts.get(0).error()).contains("lease expired").contains("w1");
    // Lost is not failed: the new attempt is queued at once, without the retry backoff.
    assertThat(attempts.get(1).notBefore()).isEqualTo(T0.plusSeconds(16));
    assertThat(store.findRun(run.id()).orElseThrow().state()).isEqualTo(RunState.RUNNING);
  }

  @Test
  void aBatchEndsOnlyTheAttemptsItsWorkerStillHolds() {
    JobKey key = apply(job("mixed", ""), null);
    for (int i = 0; i < 3; i++) {
      trigger(key);
    }
    List<Assignment> mine =
        store.claimAttempts(Claim.any("default", "w1", 2), T0, Duration.ZERO, LEASE);
    Assignment theirs =
        store.claimAttempts(Claim.any("default", "w2", 1), T0, Duration.ZERO, LEASE).get(0);
    Assignment running = mine.get(0);
    Assignment ended = mine.get(1);
    Completion success =
        new Completion(ended.attemptId(), AttemptState.SUCCEEDED, 0, null).fenced(ended.fence());
    assertThat(store.completeAttempts("w1", List.of(success), T0.plusSeconds(1), RANDOM).accepted())
        .isEqualTo(1);
    // one it holds, one another worker holds, one that has ended already: refused as a whole
    List<Completion> batch =
        List.of(
            new Completion(running.attemptId(), AttemptState.FAILED, 3, "boom")
                .fenced(running.fence()),
            new Completion(theirs.attemptId(), AttemptState.SUCCEEDED, 0, null)
                .fenced(theirs.fence()),
            new Completion(ended.attemptId(), AttemptState.FAILED, 1, "late")
                .fenced(ended.fence()));
    assertThatThrownBy(() -> store.completeAttempts("w1", batch, T0.plusSeconds(2), RANDOM))
        .isInstanceOf(ConflictException.class)
        .hasMessageContaining(theirs.attemptId() + ", " + ended.attemptId())
        .hasMessageContaining("nothing of the call was recorded");
    assertThat(store.attemptsOf(running.runId()).get(0).state()).isEqualTo(AttemptState.RUNNING);
    // the one it holds, sent again alone (as a worker does after a refusal): recorded
    assertThat(
            store.completeAttempts("w1", batch.subList(0, 1), T0.plusSeconds(2), RANDOM).accepted())
        .isEqualTo(1);
    assertThat(store.attemptsOf(running.runId()).get(0))
        .extracting(AttemptRecord::state, AttemptRecord::exitCode, AttemptRecord::error)
        .containsExactly(AttemptState.FAILED, 3, "boom");
    assertThat(store.attemptsOf(theirs.runId()).get(0))
        .extracting(AttemptRecord::state, AttemptRecord::workerId)
        .containsExactly(AttemptState.RUNNING, "w2");
    assertThat(store.attemptsOf(ended.runId()).get(0))
        .extracting(AttemptRecord::state, AttemptRecord::exitCode)
        .containsExactly(AttemptState.SUCCEEDED, 0);
    assertThat(store.findRun(theirs.runId()).orElseThrow().state()).isEqualTo(RunState.RUNNING);
  }

  @Test
  void failuresAreRetriedWithBackoffThenTheRunFails() {
    JobKey key =
        apply(
            job("flaky", "retryPolicy: {maxRetries: 2, initialInterval: 1s, backoffMultiplier: 2}"),
            null);
    RunRecord run = trigger(key);
    Instant now = T0;
    for (int attempt = 1; attempt <= 3; attempt++) {
      List<Assignment> got =
          store.claimAttempts(Claim.any("default", "w1", 1), now, Duration.ZERO, LEASE);
      assertThat(got).as("attempt %d", attempt).hasSize(1);
      assertThat(got.get(0).attempt()).isEqualTo(attempt);
      assertThat(got.get(0).idempotencyKey()).endsWith("/" + run.id() + "/main");
      assertThat(
              store.completeAttempts(
                  "w1",
                  List.of(
                      new Completion(got.get(0).attemptId(), AttemptState.FAILED, 3, "exit code 3")
                          .fenced(got.get(0).fence())),
                  now,
                  RANDOM))
          // the retry waits for its backoff: nothing is due at once
          .extracting(Completed::accepted, Completed::queued)
          .containsExactly(1, 0);
      if (attempt < 3) {
        long delay = 1000L << (attempt - 1);
        assertThat(
                store.claimAttempts(
                    Claim.any("default", "w1", 1), now.plusMillis(delay - 1), Duration.ZERO, LEASE))
            .isEmpty();
        now = now.plusMillis(delay);
      }
    }
    RunRecord done = store.findRun(run.id()).orElseThrow();
    assertThat(done.state()).isEqualTo(RunState.FAILED);
    assertThat(done.reason()).isEqualTo("task main failed: exit code 3");
    assertThat(done.finishedAt()).isNotNull();
  }

  @Test
  void aSucceededAttemptCompletesItsRun() {
    RunRecord run = trigger(apply(job("ok", ""), null));
    Assignment a =
        store.claimAttempts(Claim.any("default", "w1", 1), T0, Duration.ZERO, LEASE).get(0);
    store.completeAttempts(
        "w1",
        List.of(new Completion(a.attemptId(), AttemptState.SUCCEEDED, 0, null).fenced(a.fence())),
        T0.plusSeconds(1),
        RANDOM);
    RunRecord done = store.findRun(run.id()).orElseThrow();
    assertThat(done.state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(done.startedAt()).isEqualTo(T0);
    assertThat(done.finishedAt()).isEqualTo(T0.plusSeconds(1));
    assertThat(store.countRuns(run.job(), RunState.SUCCEEDED)).isEqualTo(1);
  }

  static JobManifest dag(String name, String tasks) {
    return JobManifestCodec.parseYaml(
        """
        apiVersion: kairos.dev/v1
        kind: Job
        metadata: {name: %s}
        spec:
          tasks:
        %s
        """
            .formatted(name, tasks.indent(4)));
  }

  private List<Assignment> claimAll(Instant now) {
    return store.claimAttempts(Claim.any("default", "w1", 100), now, Duration.ZERO, LEASE);
  }

  private void end(Assignment a, AttemptState outcome) {
    store.completeAttempts(
        "w1",
        List.of(new Completion(a.attemptId(), outcome, 0, null).fenced(a.fence())),
        T0,
        RANDOM);
  }

  @Test
  void upstreamTasksEndingAtTheSameTimeAlwaysReleaseTheirJoin() throws Exception {
    JobKey key =
        apply(
            dag(
                "join",
                """
                - {name: a, empty: {}}
                - {name: b, empty: {}}
                - {name: c, dependsOn: [a, b], empty: {}}
                """),
            null);
    int runs = 60;
    List<NewRun> batch = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      batch.add(NewRun.manual(key, null));
    }
    List<RunRecord> created = store.createRuns(batch, T0);
    List<Assignment> roots =
        store.claimAttempts(Claim.any("default", "w1", 1_000), T0, Duration.ZERO, LEASE);
    assertThat(roots).hasSize(2 * runs);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      // for each run, a and b end in two transactions at once: neither may miss the other's end
      for (RunRecord run : created) {
        List<Future<?>> ends = new ArrayList<>();
        java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(2);
        for (Assignment a : roots) {
          if (a.runId() == run.id()) {
            ends.add(
                pool.submit(() -> {
                  together.await();
                  end(a, AttemptState.SUCCEEDED);
                  return null;
                }));
          }
        }
        for (Future<?> f : ends) {
          f.get();
        }
      }
    } finally {
      pool.shutdownNow();
    }
    List<Assignment> joins = claimAll(T0);
    assertThat(joins)
        .as("every run queued its join once")
        .hasSize(runs)
        .extracting(a -> a.task().name())
        .containsOnly("c");
  }

  @Test
  void aDagFollowsItsTriggerRulesAndFailsWhenATaskFailed() {
    RunRecord run =
        trigger(
            apply(
                dag(
                    "etl",
                    """
                    - {name: extract, shell: {command: "true"}}
                    - {name: load, dependsOn: [extract], empty: {}}
                    - {name: cleanup, dependsOn: [extract], triggerRule: allFailed, empty: {}}
                    """),
                null));
    List<Assignment> first = claimAll(T0);
    assertThat(first).extracting(a -> a.task().name()).containsExactly("extract");
    end(first.get(0), AttemptState.FAILED);
    // load can never run (upstream failed); cleanup runs because extract failed
    List<Assignment> second = claimAll(T0);
    assertThat(second).extracting(a -> a.task().name()).containsExactly("cleanup");
    assertThat(store.findRun(run.id()).orElseThrow().state()).isEqualTo(RunState.RUNNING);
    end(second.get(0), AttemptState.SUCCEEDED);
    RunRecord done = store.findRun(run.id()).orElseThrow();
    assertThat(done.state()).isEqualTo(RunState.FAILED);
    assertThat(done.reason()).isEqualTo("task extract failed; 1 not run (upstream failed)");
    assertThat(store.attemptsOf(run.id()))
        .extracting(a -> a.task().name())
        .containsExactly("extract", "cleanup");
  }

  @Test
  void aJobDeletedAndCreatedAgainAdvancesByItsNewTasks() {
    JobManifest before =
        dag("again", "- {name: a, empty: {}}\n- {name: b, dependsOn: [a], empty: {}}");
    store.applyJob(before, JobManifestCodec.toJson(before), null, T0);
    trigger(before.key());
    end(claimAll(T0).get(0), AttemptState.SUCCEEDED);
    assertThat(claimAll(T0)).extracting(a -> a.task().name()).containsExactly("b");
    // version 1 again, with other tasks: what was learnt of the old version must not be used
    assertThat(store.deleteJob(before.key())).isTrue();
    JobManifest after =
        dag("again", "- {name: a, empty: {}}\n- {name: c, dependsOn: [a], empty: {}}");
    store.applyJob(after, JobManifestCodec.toJson(after), null, T0.plusSeconds(1));
    assertThat(store.findJob(after.key()).orElseThrow().version()).isEqualTo(1);
    trigger(after.key());
    end(claimAll(T0).get(0), AttemptState.SUCCEEDED);
    assertThat(claimAll(T0)).extracting(a -> a.task().name()).containsExactly("c");
  }

  @Test
  void aTaskIsHandedTheOutputsOfItsSucceededUpstreams() {
    trigger(
        apply(
            dag(
                "pass",
                """
                - {name: a, empty: {}}
                - {name: b, empty: {}}
                - {name: c, dependsOn: [a, b], triggerRule: allDone, empty: {}}
                """),
            null));
    List<Assignment> roots = claimAll(T0);
    assertThat(roots).allMatch(a -> a.inputs().isEmpty());
    for (Assignment a : roots) {
      boolean isA = a.task().name().equals("a");
      store.completeAttempts(
          "w1",
          List.of(
              new Completion(
                      a.attemptId(),
                      isA ? AttemptState.SUCCEEDED : AttemptState.FAILED,
                      isA ? 0 : 1,
                      null,
                      Map.of("rows", isA ? "42" : "from a failure"))
                  .fenced(a.fence())),
          T0,
          RANDOM);
    }
    List<Assignment> next = claimAll(T0);
    assertThat(next).extracting(a -> a.task().name()).containsExactly("c");
    // a failed attempt publishes nothing
    assertThat(next.get(0).inputs()).isEqualTo(Map.of("a", Map.of("rows", "42")));
  }

  static final String ETL =
      """
      - {name: extract, retryPolicy: {maxRetries: 1, initialInterval: 1s}, empty: {}}
      - {name: load, dependsOn: [extract], empty: {}}
      - {name: cleanup, dependsOn: [extract], triggerRule: allFailed, empty: {}}
      """;

  /** Claims what is due and ends it all with {@code outcome}; returns the task names. */
  private List<String> runAll(AttemptState outcome) {
    List<Assignment> got = claimAll(T0.plusSeconds(60));
    got.forEach(a -> end(a, outcome));
    return got.stream().map(a -> a.task().name() + "#" + a.attempt()).toList();
  }

  @Test
  void aFailedRunIsRetriedFromItsFailedTasksWithRetriesCountedAnew() {
    RunRecord run = trigger(apply(dag("retry", ETL), null));
    assertThat(runAll(AttemptState.FAILED)).containsExactly("extract#1");
    assertThat(runAll(AttemptState.FAILED)).containsExactly("extract#2");
    assertThat(runAll(AttemptState.SUCCEEDED)).containsExactly("cleanup#1");
    assertThat(store.findRun(run.id()).orElseThrow().state()).isEqualTo(RunState.FAILED);

    RunRecord reopened = store.repairRun(run.id(), new RunRepair.RetryFailed(), T0);
    assertThat(reopened.state()).isEqualTo(RunState.RUNNING);
    assertThat(reopened.finishedAt()).isNull();
    // the retry gets the task's retry policy again: one more retry after a failure
    assertThat(runAll(AttemptState.FAILED)).containsExactly("extract#3");
    assertThat(runAll(AttemptState.SUCCEEDED)).containsExactly("extract#4");
    assertThat(runAll(AttemptState.SUCCEEDED)).containsExactly("load#1");
    // cleanup kept its result; every task now stands succeeded
    RunRecord done = store.findRun(run.id()).orElseThrow();
    assertThat(done.state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(done.reason()).isNull();
    assertThat(store.attemptsOf(run.id()))
        .filteredOn(AttemptRecord::cleared)
        .extracting(a -> a.task().name() + "#" + a.attempt())
        .containsExactly("extract#1", "extract#2");
  }

  @Test
  void aTaskIsRerunWithItsDownstreamOrMarkedAndTheRunGoesOn() {
    RunRecord run = trigger(apply(dag("repair", ETL), null));
    runAll(AttemptState.SUCCEEDED);
    runAll(AttemptState.SUCCEEDED);
    assertThat(store.findRun(run.id()).orElseThrow().state()).isEqualTo(RunState.SUCCEEDED);

    store.repairRun(run.id(), new RunRepair.Rerun("extract", true), T0);
    assertThat(runAll(AttemptState.SUCCEEDED)).containsExactly("extract#2");
    assertThat(runAll(AttemptState.SUCCEEDED)).containsExactly("load#2");
    assertThat(store.findRun(run.id()).orElseThrow().state()).isEqualTo(RunState.SUCCEEDED);

    store.repairRun(run.id(), new RunRepair.Rerun("extract", false), T0);
    assertThat(runAll(AttemptState.FAILED)).containsExactly("extract#3");
    assertThat(runAll(AttemptState.FAILED)).containsExactly("extract#4");
    // load keeps its earlier success (not re-run), cleanup now runs
    assertThat(runAll(AttemptState.SUCCEEDED)).containsExactly("cleanup#1");
    assertThat(store.findRun(run.id()).orElseThrow().state()).isEqualTo(RunState.FAILED);

    // marking the failed task skipped: cleanup's rule (allFailed) no longer holds, but it ran
    RunRecord marked =
        store.repairRun(run.id(), new RunRepair.Mark("extract", false), T0.plusSeconds(1));
    assertThat(marked.state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(store.taskMarks(run.id())).isEqualTo(Map.of("extract", "SKIPPED"));
    assertThat(claimAll(T0.plusSeconds(60))).isEmpty();
  }

  @Test
  void repairsOfActiveRunsUnknownTasksAndSucceededRetriesAreRefused() {
    RunRecord run = trigger(apply(dag("refuse", ETL), null));
    assertThatThrownBy(() -> store.repairRun(run.id(), new RunRepair.RetryFailed(), T0))
        .isInstanceOf(ConflictException.class)
        .hasMessage("run " + run.id() + " is PENDING: wait for it to end, or cancel it first");
    runAll(AttemptState.SUCCEEDED);
    runAll(AttemptState.SUCCEEDED);
    assertThatThrownBy(() -> store.repairRun(run.id(), new RunRepair.RetryFailed(), T0))
        .isInstanceOf(ConflictException.class)
        .hasMessageContaining("SUCCEEDED: there is nothing to retry");
    assertThatThrownBy(() -> store.repairRun(run.id(), new RunRepair.Rerun("extrct", true), T0))
        .isInstanceOf(NotFoundException.class)
        .hasMessage("run " + run.id() + " has no task extrct; its tasks: extract, load, cleanup");
    assertThatThrownBy(() -> store.repairRun(424242, new RunRepair.RetryFailed(), T0))
        .isInstanceOf(NotFoundException.class);
    assertThat(store.findRun(run.id()).orElseThrow().state()).isEqualTo(RunState.SUCCEEDED);
  }

  @Test
  void aFanInQueuesItsTaskOnceWhenItsUpstreamsEndInOneBatch() {
    RunRecord run =
        trigger(
            apply(
                dag(
                    "fan",
                    """
                    - {name: a, empty: {}}
                    - {name: b, empty: {}}
                    - {name: join, dependsOn: [a, b], empty: {}}
                    """),
                null));
    List<Assignment> roots = claimAll(T0);
    assertThat(roots).extracting(a -> a.task().name()).containsExactlyInAnyOrder("a", "b");
    assertThat(
            store.completeAttempts(
                "w1",
                roots.stream()
                    .map(a ->
                        new Completion(a.attemptId(), AttemptState.SUCCEEDED, 0, null)
                            .fenced(a.fence()))
                    .toList(),
                T0,
                RANDOM))
        .satisfies(done -> {
          assertThat(done.queued()).as("join is queued").isEqualTo(1);
          assertThat(done.pools())
              .as("only the default pool's workers are woken")
              .containsExactly("default");
          assertThat(done.ended())
              .extracting(AttemptEnd::namespace, AttemptEnd::task, AttemptEnd::state)
              .containsExactlyInAnyOrder(
                  tuple("default", "a", AttemptState.SUCCEEDED),
                  tuple("default", "b", AttemptState.SUCCEEDED));
        });
    List<Assignment> join = claimAll(T0);
    assertThat(join).extracting(a -> a.task().name()).containsExactly("join");
    assertThat(store.findRun(run.id()).orElseThrow().state()).isEqualTo(RunState.RUNNING);
    end(join.get(0), AttemptState.SUCCEEDED);
    assertThat(store.findRun(run.id()).orElseThrow().state()).isEqualTo(RunState.SUCCEEDED);
  }

  @Test
  void aRunCancelledWhileItsTaskRunsStaysCancelledWhenTheTaskThenSucceeds() {
    RunRecord run = trigger(apply(job("late", ""), null));
    Assignment a =
        store.claimAttempts(Claim.any("default", "w1", 1), T0, Duration.ZERO, LEASE).get(0);
    store.cancelRun(run.id(), "stop", T0.plusSeconds(1));
    // the worker finished before it saw the cancel flag: its outcome is recorded, the run stays
    assertThat(
            store.completeAttempts(
                "w1",
                List.of(
                    new Completion(a.attemptId(), AttemptState.SUCCEEDED, 0, null)
                        .fenced(a.fence())),
                T0.plusSeconds(2),
                RANDOM))
        .extracting(Completed::accepted, Completed::queued)
        .containsExactly(1, 0);
    RunRecord after = store.findRun(run.id()).orElseThrow();
    assertThat(after.state()).isEqualTo(RunState.CANCELLED);
    assertThat(after.finishedAt()).isEqualTo(T0.plusSeconds(1));
    assertThat(store.attemptsOf(run.id()))
        .extracting(AttemptRecord::state)
        .containsExactly(AttemptState.SUCCEEDED);
  }

  @Test
  void cancellingDropsQueuedAttemptsAndFlagsRunningOnes() {
    JobKey key = apply(job("c", ""), null);
    RunRecord queued = trigger(key);
    RunRecord cancelled = store.cancelRun(queued.id(), "no longer needed", T0).orElseThrow();
    assertThat(cancelled.state()).isEqualTo(RunState.CANCELLED);
    assertThat(cancelled.reason()).isEqualTo("no longer needed");
    assertThat(store.attemptsOf(queued.id()))
        .extracting(AttemptRecord::state)
        .containsExactly(AttemptState.CANCELLED);
    assertThat(store.claimAttempts(Claim.any("default", "w1", 5), T0, Duration.ZERO, LEASE))
        .isEmpty();

    RunRecord running = trigger(key);
    Assignment a =
        store.claimAttempts(Claim.any("default", "w1", 1), T0, Duration.ZERO, LEASE).get(0);
    store.cancelRun(running.id(), "stop", T0);
    assertThat(store.attemptsOf(running.id()).get(0).cancelRequested()).isTrue();
    // the worker's CANCELLED report is recorded and does not reopen the run
    store.completeAttempts(
        "w1",
        List.of(
            new Completion(a.attemptId(), AttemptState.CANCELLED, null, "cancelled")
                .fenced(a.fence())),
        T0,
        RANDOM);
    assertThat(store.findRun(running.id()).orElseThrow().state()).isEqualTo(RunState.CANCELLED);
    // a finished run stays as it was
    assertThat(store.cancelRun(running.id(), "again", T0).orElseThrow().reason()).isEqualTo("stop");
  }

  @Test
  void aPlanCanSkipMissAndReplace() {
    Instant fire = T0.plusSeconds(60);
    JobKey key = apply(job("plan", "schedule: \"* * * * *\""), fire);
    RunRecord active = trigger(key);
    TriggerPlanner planner =
        (j, actives, now, horizon) -> {
          assertThat(actives).extracting(RunRecord::id).containsExactly(active.id());
          return new TriggerPlan(
              List.of(
                  new NewRun(key, TriggerKind.SCHEDULE, fire, null, RunState.MISSED, "late"),
                  new NewRun(
                      key,
                      TriggerKind.SCHEDULE,
                      fire.plusSeconds(60),
                      null,
                      RunState.SKIPPED,
                      "busy"),
                  new NewRun(
                      key,
                      TriggerKind.SCHEDULE,
                      fire.plusSeconds(120),
                      null,
                      RunState.PENDING,
                      null)),
              List.of(active.id()),
              "replaced",
              fire.plusSeconds(180),
              7);
        };
    List<RunRecord> created =
        store.fireDueTriggers(fire.plusSeconds(130), Duration.ZERO, 10, planner);
    assertThat(created)
        .extracting(RunRecord::state)
        .containsExactly(RunState.MISSED, RunState.SKIPPED, RunState.PENDING);
    // the missed fire raises an alert (to the defaults: the job has no webhooks of its own)
    Webhook ops =
        new Webhook(
            java.net.URI.create("http://ops.example/"), Webhook.Format.JSON, java.util.Set.of());
    assertThat(store.raiseAlerts(fire.plusSeconds(130), 10, List.of(ops))).isEqualTo(1);
    assertThat(store.listAlerts(new AlertQuery(key, null, null, null, 10)))
        .extracting(AlertRecord::runId, AlertRecord::kind, AlertRecord::detail)
        .containsExactly(tuple(created.get(0).id(), AlertKind.FIRE_MISSED, "late"));
    assertThat(store.findRun(active.id()).orElseThrow().state()).isEqualTo(RunState.CANCELLED);
    JobRecord job = store.findJob(key).orElseThrow();
    assertThat(job.missedFires()).isEqualTo(8);
    assertThat(job.nextFireAt()).isEqualTo(fire.plusSeconds(180));
    assertThat(store.nextFireTime(Duration.ZERO)).contains(fire.plusSeconds(180));
    assertThat(store.listRuns(new RunQuery(key, RunState.SKIPPED, 10, null)))
        .extracting(RunRecord::reason)
        .containsExactly("busy");
    // only the PENDING one queued work
    assertThat(
            store.claimAttempts(
                Claim.any("default", "w1", 10), fire.plusSeconds(130), Duration.ZERO, LEASE))
        .hasSize(1);
  }

  /** Plans every fire from the job's next one up to the horizon, as runs. */
  static final TriggerPlanner AHEAD =
      (j, active, now, horizon) -> {
        List<NewRun> runs = new ArrayList<>();
        for (Instant t = j.nextFireAt(); !t.isAfter(horizon); t = t.plusSeconds(60)) {
          runs.add(new NewRun(j.key(), TriggerKind.SCHEDULE, t, null, RunState.PENDING, null));
        }
        Instant last = runs.get(runs.size() - 1).fireTime();
        return new TriggerPlan(runs, List.of(), null, last.plusSeconds(60), 0);
      };

  @Test
  void aRunFiredAheadCannotStartBeforeItsFireTime() {
    Instant fire = T0.plusSeconds(60);
    JobKey key = apply(job("early", "schedule: \"* * * * *\""), fire);
    // not due yet without firing ahead; due within the window with it
    assertThat(store.fireDueTriggers(fire.minusSeconds(3), Duration.ZERO, 10, AHEAD)).isEmpty();
    assertThat(store.nextFireTime(Duration.ofSeconds(5))).contains(fire.minusSeconds(5));
    List<RunRecord> created =
        store.fireDueTriggers(fire.minusSeconds(3), Duration.ofSeconds(5), 10, AHEAD);
    assertThat(created).extracting(RunRecord::fireTime).containsExactly(fire);
    assertThat(store.findJob(key).orElseThrow().nextFireAt()).isEqualTo(fire.plusSeconds(60));
    assertThat(
            store.claimAttempts(
                Claim.any("default", "w1", 10), fire.minusMillis(1), Duration.ZERO, LEASE))
        .isEmpty();
    assertThat(store.claimAttempts(Claim.any("default", "w1", 10), fire, Duration.ZERO, LEASE))
        .hasSize(1);
  }

  @Test
  void anAttemptClaimedAheadStartsWhenDue() {
    Instant fire = T0.plusSeconds(60);
    JobKey key = apply(job("early", "schedule: \"* * * * *\""), fire);
    store.fireDueTriggers(fire.minusSeconds(3), Duration.ofSeconds(5), 10, AHEAD);
    Duration ahead = Duration.ofMillis(250);
    // outside the window: not handed out
    assertThat(
            store.claimAttempts(
                Claim.any("default", "w1", 10), fire.minusMillis(251), ahead, LEASE))
        .isEmpty();
    Instant polled = fire.minusMillis(200);
    List<Assignment> got =
        store.claimAttempts(Claim.any("default", "w1", 10), polled, ahead, LEASE);
    assertThat(got)
        .singleElement()
        .satisfies(a -> {
          assertThat(a.startDelayMillis()).isEqualTo(200);
          // the lease counts from the start, not from the claim
          assertThat(a.leaseExpiresAt()).isEqualTo(fire.plus(LEASE));
        });
    RunRecord run = store.listRuns(new RunQuery(key, null, 10, null)).get(0);
    assertThat(run.state()).isEqualTo(RunState.RUNNING);
    assertThat(run.startedAt()).isEqualTo(fire);
    assertThat(store.attemptsOf(run.id()).get(0).startedAt()).isEqualTo(fire);
    // an attempt already due starts at once, and is handed out before one due later
    long manual = store.createRun(NewRun.manual(key, null), polled).id();
    store.fireDueTriggers(fire.plusSeconds(57), Duration.ofSeconds(5), 10, AHEAD);
    List<Assignment> next =
        store.claimAttempts(
            Claim.any("default", "w1", 1), fire.plusSeconds(59).plusMillis(900), ahead, LEASE);
    assertThat(next)
        .singleElement()
        .satisfies(a -> {
          assertThat(a.runId()).isEqualTo(manual);
          assertThat(a.startDelayMillis()).isZero();
        });
  }

  @Test
  void suspendingRemovesRunsFiredAheadThatHaveNotStarted() {
    Instant fire = T0.plusSeconds(60);
    JobKey key = apply(job("early", "schedule: \"* * * * *\""), fire);
    store.fireDueTriggers(fire.minusSeconds(3), Duration.ofSeconds(5), 10, AHEAD);
    assertThat(store.listRuns(new RunQuery(key, null, 10, null))).hasSize(1);
    store.setSuspended(key, true, null, fire.minusSeconds(2));
    assertThat(store.listRuns(new RunQuery(key, null, 10, null))).isEmpty();
    assertThat(store.claimAttempts(Claim.any("default", "w1", 10), fire, Duration.ZERO, LEASE))
        .isEmpty();
  }

  @Test
  void suspendedJobsAreNotDue() {
    JobKey key = apply(job("s", "schedule: \"* * * * *\""), T0.plusSeconds(60));
    store.setSuspended(key, true, null, T0);
    assertThat(store.nextFireTime(Duration.ZERO)).isEmpty();
    assertThat(
            store.fireDueTriggers(
                T0.plusSeconds(600),
                Duration.ZERO,
                10,
                (j, a, n, h) -> {
                  throw new AssertionError("not due");
                }))
        .isEmpty();
    JobRecord resumed = store.setSuspended(key, false, T0.plusSeconds(660), T0).orElseThrow();
    assertThat(resumed.suspended()).isFalse();
    assertThat(resumed.nextFireAt()).isEqualTo(T0.plusSeconds(660));
  }

  @Test
  void logChunksAreStoredOnceInOrder() {
    RunRecord run = trigger(apply(job("log", ""), null));
    long a =
        store
            .claimAttempts(Claim.any("default", "w1", 1), T0, Duration.ZERO, LEASE)
            .get(0)
            .attemptId();
    store.appendLogs(
        List.of(
            new LogChunk(a, 1, "stderr", 2, "two\n"), new LogChunk(a, 0, "stdout", 1, "one\n")));
    store.appendLogs(
        List.of(
            new LogChunk(a, 1, "stderr", 2, "two again\n"),
            new LogChunk(999_999, 0, "stdout", 1, "orphan\n")));
    assertThat(store.logsOfRun(run.id()))
        .extracting(LogChunk::text)
        .containsExactly("one\n", "two\n");
  }

  @Test
  void aWorkerWritesOnlyTheLogsOfAttemptsItClaimed() {
    RunRecord run = trigger(apply(job("fenced", ""), null));
    trigger(apply(job("other", ""), null));
    List<Assignment> claimed =
        store.claimAttempts(Claim.any("default", "w1", 2), T0, Duration.ZERO, LEASE);
    Assignment mineA =
        claimed.stream().filter(x -> x.runId() == run.id()).findFirst().orElseThrow();
    Assignment theirsA = claimed.stream().filter(x -> x != mineA).findFirst().orElseThrow();
    long mine = mineA.attemptId();
    long theirs = theirsA.attemptId();
    store.releaseAttempts("w1", List.of(theirsA.lease()), T0);
    Assignment taken =
        store.claimAttempts(Claim.any("default", "w2", 1), T0, Duration.ZERO, LEASE).get(0);

    // a call with a chunk of another worker's attempt stores nothing, its own chunks included
    assertThat(
            store.appendLogs(
                "w1",
                List.of(
                    new LogChunk(mine, 0, "stdout", 1, "mine\n", mineA.fence()),
                    new LogChunk(theirs, 0, "stdout", 1, "forged\n", taken.fence()))))
        .containsExactly(theirs);
    assertThat(store.logsOfRun(run.id())).isEmpty();
    assertThat(
            store.appendLogs(
                "nobody", List.of(new LogChunk(mine, 1, "stdout", 1, "x\n", mineA.fence()))))
        .containsExactly(mine);
    // its own attempt under a fence that is not its claim's: refused
    assertThat(
            store.appendLogs(
                "w1", List.of(new LogChunk(mine, 1, "stdout", 1, "x\n", mineA.fence() + 1))))
        .containsExactly(mine);

    // its own, and those of an attempt deleted meanwhile (dropped), are stored
    assertThat(
            store.appendLogs(
                "w1",
                List.of(
                    new LogChunk(mine, 0, "stdout", 1, "mine\n", mineA.fence()),
                    new LogChunk(999_999, 0, "stdout", 1, "orphan\n"))))
        .isEmpty();
    assertThat(store.logsOfRun(run.id())).extracting(LogChunk::text).containsExactly("mine\n");
  }

  @Test
  void deletingAJobRemovesItsRunsAttemptsAndLogs() {
    JobKey key = apply(job("gone", ""), null);
    RunRecord run = trigger(key);
    Assignment claimed =
        store.claimAttempts(Claim.any("default", "w1", 1), T0, Duration.ZERO, LEASE).get(0);
    long a = claimed.attemptId();
    store.appendLogs(List.of(new LogChunk(a, 0, "stdout", 1, "x\n")));
    assertThat(store.deleteJob(key)).isTrue();
    assertThat(store.deleteJob(key)).isFalse();
    assertThat(store.findRun(run.id())).isEmpty();
    assertThat(store.logsOfRun(run.id())).isEmpty();
    assertThat(store.heartbeat("w1", List.of(claimed.lease()), T0, LEASE).lost())
        .containsExactly(a);
  }

  @Test
  void tokensAreFoundByHashOnly() {
    store.saveToken("abc123", new TokenRecord("admin", TokenRecord.Role.ADMIN), T0);
    store.saveToken("abc123", new TokenRecord("admin2", TokenRecord.Role.WORKER), T0);
    assertThat(store.findToken("abc123"))
        .contains(new TokenRecord("admin2", TokenRecord.Role.WORKER));
    assertThat(store.findToken("nope")).isEmpty();
  }

  @Test
  void tokensOfEveryRoleAreListedWithoutTheirHashAndRevokedByName() {
    int i = 0;
    for (TokenRecord.Role role : TokenRecord.Role.values()) {
      store.saveToken("hash-" + i, new TokenRecord("t-" + i++, role), T0.plusSeconds(i));
    }
    store.saveToken("hash-again", new TokenRecord("t-0", TokenRecord.Role.ADMIN), T0);

    assertThat(store.listTokens())
        .extracting(TokenInfo::name, TokenInfo::role)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("t-0", TokenRecord.Role.ADMIN),
            org.assertj.core.groups.Tuple.tuple("t-0", TokenRecord.Role.ADMIN),
            org.assertj.core.groups.Tuple.tuple("t-1", TokenRecord.Role.OPERATOR),
            org.assertj.core.groups.Tuple.tuple("t-2", TokenRecord.Role.VIEWER),
            org.assertj.core.groups.Tuple.tuple("t-3", TokenRecord.Role.EVENTS),
            org.assertj.core.groups.Tuple.tuple("t-4", TokenRecord.Role.WORKER));
    assertThat(store.listTokens().toString()).doesNotContain("hash-");

    assertThat(store.revokeTokens("t-0")).isEqualTo(2);
    assertThat(store.revokeTokens("t-0")).isZero();
    assertThat(store.findToken("hash-0")).isEmpty();
    assertThat(store.findToken("hash-again")).isEmpty();
    assertThat(store.findToken("hash-2")).contains(new TokenRecord("t-2", TokenRecord.Role.VIEWER));

    assertThat(store.rotateToken("t-2", "hash-rotated", T0.plusSeconds(60)))
        .contains(new TokenRecord("t-2", TokenRecord.Role.VIEWER));
    assertThat(store.findToken("hash-2")).isEmpty();
    assertThat(store.findToken("hash-rotated"))
        .contains(new TokenRecord("t-2", TokenRecord.Role.VIEWER));
    assertThat(store.rotateToken("nobody", "hash-x", T0)).isEmpty();
    assertThat(store.findToken("hash-x")).isEmpty();
  }

  @Test
  void tokensKeepTheirLimitsAndWorkerCredentialsAreReplacedOnEnrolment() {
    Instant expires = T0.plusSeconds(3600);
    TokenRecord gpu =
        new TokenRecord(
            "gpu-workers",
            TokenRecord.Role.WORKER,
            List.of(),
            List.of("gpu", "gpu-large"),
            List.of("eu"),
            expires,
            null);
    store.saveToken("enrol", gpu, T0);
    TokenRecord team =
        new TokenRecord(
            "team-a", TokenRecord.Role.VIEWER, List.of("a", "shared"), null, null, null, null);
    store.saveToken("team", team, T0);
    assertThat(store.findToken("enrol")).contains(gpu);
    assertThat(store.findToken("team")).contains(team);

    TokenRecord w1 = gpu.credentialFor("w1", "gpu", "eu");
    store.enrolWorker("cred-1", w1, T0);
    assertThat(store.findToken("cred-1")).contains(w1);
    assertThat(w1.workerId()).isEqualTo("w1");
    assertThat(w1.pools()).containsExactly("gpu");
    assertThat(w1.expiresAt()).isEqualTo(expires);
    // the same worker enrolling again (a restart) leaves its earlier credential useless
    store.enrolWorker("cred-2", w1, T0.plusSeconds(1));
    assertThat(store.findToken("cred-1")).isEmpty();
    assertThat(store.findToken("cred-2")).contains(w1);
    store.enrolWorker("cred-3", gpu.credentialFor("w2", "gpu-large", "eu"), T0);
    assertThat(store.listTokens())
        .extracting(i -> i.token().workerId())
        .containsExactly(null, "w1", "w2", null);

    // rotating the enrolment token keeps its limits and its workers' credentials
    assertThat(store.rotateToken("gpu-workers", "enrol-2", T0)).contains(gpu);
    assertThat(store.findToken("enrol")).isEmpty();
    assertThat(store.findToken("enrol-2")).contains(gpu);
    assertThat(store.findToken("cred-2")).contains(w1);
    // revoking its name revokes the credentials enrolled with it
    assertThat(store.revokeTokens("gpu-workers")).isEqualTo(3);
    assertThat(store.findToken("cred-2")).isEmpty();
    assertThat(store.findToken("cred-3")).isEmpty();
    assertThat(store.findToken("team")).contains(team);
  }

  @Test
  void aFailedRunRaisesOneAlertPerWebhookThatWantsItAndDeliveriesAreRetried() {
    JobKey key =
        apply(
            job(
                "alerted",
                "retryPolicy: {maxRetries: 1, initialInterval: 1s}\n  alerts: {webhooks: ["
                    + "{url: \"http://a.example/hook\"},"
                    + " {url: \"http://b.example/hook\", format: slack, on: [runFailed]}]}"),
            null);
    RunRecord run = trigger(key);
    end(claimAll(T0).get(0), AttemptState.FAILED);
    // the retry is due after its backoff
    List<Assignment> retry =
        store.claimAttempts(
            Claim.any("default", "w1", 10), T0.plusSeconds(2), Duration.ZERO, LEASE);
    end(retry.get(0), AttemptState.FAILED);
    assertThat(store.findRun(run.id()).orElseThrow().state()).isEqualTo(RunState.FAILED);
    assertThat(store.raiseAlerts(T0.plusSeconds(3), 100, List.of())).isEqualTo(3);
    assertThat(store.raiseAlerts(T0.plusSeconds(3), 100, List.of())).isZero();
    List<AlertRecord> all = store.listAlerts(new AlertQuery(key, null, null, null, 10));
    assertThat(all)
        .extracting(AlertRecord::kind, AlertRecord::url, AlertRecord::format)
        .containsExactlyInAnyOrder(
            tuple(AlertKind.RETRIES_EXHAUSTED, "http://a.example/hook", Webhook.Format.JSON),
            tuple(AlertKind.RUN_FAILED, "http://a.example/hook", Webhook.Format.JSON),
            tuple(AlertKind.RUN_FAILED, "http://b.example/hook", Webhook.Format.SLACK));
    assertThat(all).allSatisfy(a -> assertThat(a.runId()).isEqualTo(run.id()));
    assertThat(all.stream().filter(a -> a.kind() == AlertKind.RETRIES_EXHAUSTED).findFirst())
        .get()
        .satisfies(a -> {
          assertThat(a.task()).isEqualTo("main");
          assertThat(a.detail()).startsWith("task main failed on attempt 2, its last:");
        });
    Instant t = T0.plusSeconds(3);
    List<AlertRecord> due = store.claimAlerts(t, 10, Duration.ofSeconds(30));
    assertThat(due).hasSize(3).allSatisfy(a -> assertThat(a.attempts()).isEqualTo(1));
    // taken: no other replica gets them while they are being sent
    assertThat(store.claimAlerts(t, 10, Duration.ofSeconds(30))).isEmpty();
    store.alertDelivered(due.get(0).id(), t);
    store.alertFailed(due.get(1).id(), "HTTP 503", t.plusSeconds(1));
    store.alertFailed(due.get(2).id(), "HTTP 404", null);
    List<AlertRecord> again = store.claimAlerts(t.plusSeconds(2), 10, Duration.ofSeconds(30));
    assertThat(again).extracting(AlertRecord::id).containsExactly(due.get(1).id());
    assertThat(again.get(0).attempts()).isEqualTo(2);
    assertThat(again.get(0).lastError()).isEqualTo("HTTP 503");
    assertThat(store.listAlerts(new AlertQuery(null, run.id(), AlertRecord.State.FAILED, null, 10)))
        .extracting(AlertRecord::id, AlertRecord::lastError)
        .containsExactly(tuple(due.get(2).id(), "HTTP 404"));
    assertThat(store.listAlerts(new AlertQuery(null, null, AlertRecord.State.DELIVERED, null, 10)))
        .extracting(AlertRecord::deliveredAt)
        .containsExactly(t);
  }

  @Test
  void aRunPastItsSlaRaisesOneAlertToTheDefaultWebhooks() {
    JobKey key = apply(job("slow", "alerts: {sla: 1m}"), null);
    RunRecord run = trigger(key);
    claimAll(T0);
    assertThat(store.findRunsPastSla(T0.plusSeconds(30))).isZero();
    assertThat(store.findRunsPastSla(T0.plusSeconds(61))).isEqualTo(1);
    assertThat(store.findRunsPastSla(T0.plusSeconds(62))).as("already recorded").isZero();
    Webhook ops =
        new Webhook(
            java.net.URI.create("http://ops.example/"), Webhook.Format.JSON, java.util.Set.of());
    assertThat(store.raiseAlerts(T0.plusSeconds(62), 100, List.of(ops))).isEqualTo(1);
    assertThat(store.findRunsPastSla(T0.plusSeconds(90))).as("already alerted").isZero();
    assertThat(store.listAlerts(new AlertQuery(key, null, null, null, 10)))
        .extracting(AlertRecord::runId, AlertRecord::kind, AlertRecord::url)
        .containsExactly(tuple(run.id(), AlertKind.SLA_EXCEEDED, "http://ops.example/"));
  }

  @Test
  void anEventStartsEachSubscribedJobWhoseFilterMatchesOnceAndItsAttemptsCarryIt() {
    JobKey orders =
        apply(
            job(
                "on-orders",
                "triggers: [{event: {type: data-ready, filter: \"data.table == 'orders'\"}}]"),
            null);
    JobKey any = apply(job("on-any", "triggers: [{event: {type: data-ready}}]"), null);
    apply(job("on-other", "triggers: [{event: {type: other}}]"), null);
    JobKey paused =
        apply(job("paused", "suspend: true\n  triggers: [{event: {type: data-ready}}]"), null);
    NewEvent event =
        new NewEvent(
            "data-ready", "s3://lake/orders", "evt-1", "{\"table\": \"orders\", \"rows\": 3}");
    EventIntake first = store.receiveEvent(event, T0);
    assertThat(first.duplicate()).isFalse();
    assertThat(first.runs())
        .extracting(RunRecord::job, RunRecord::trigger)
        .containsExactlyInAnyOrder(tuple(orders, TriggerKind.EVENT), tuple(any, TriggerKind.EVENT));
    // the same source and id again: nothing more
    EventIntake again = store.receiveEvent(event, T0.plusSeconds(1));
    assertThat(again.duplicate()).isTrue();
    assertThat(again.eventId()).isEqualTo(first.eventId());
    assertThat(again.runs()).isEmpty();
    // a filter that does not match starts only the unfiltered job
    EventIntake users =
        store.receiveEvent(
            new NewEvent("data-ready", "s3://lake/users", "evt-1", "{\"table\": \"users\"}"), T0);
    assertThat(users.runs()).extracting(RunRecord::job).containsExactly(any);
    assertThat(store.listRuns(new RunQuery(paused, null, 10, null))).isEmpty();
    // the worker gets the event with the attempt
    List<Assignment> claimed = claimAll(T0);
    Assignment ofOrders =
        claimed.stream().filter(a -> a.job().equals("on-orders")).findFirst().orElseThrow();
    assertThat(ofOrders.event())
        .contains("\"type\":\"data-ready\"")
        .contains("\"source\":\"s3://lake/orders\"")
        .contains("\"id\":\"evt-1\"")
        .contains("\"rows\":3");
    // after the dedup window the same event is new again
    assertThat(store.pruneEvents(T0.plusSeconds(60), 100)).isEqualTo(2);
    assertThat(store.receiveEvent(event, T0.plusSeconds(61)).duplicate()).isFalse();
  }

  @Test
  void aRunKeepsItsDeclaredSizeParameterAndTheHistoryOfDurationsCarriesIt() {
    JobKey key = apply(job("sized", "sizeParam: rows\n  triggers: [{event: {type: batch}}]"), null);
    String[] rows = {"100", "\"2500\"", "\"lots\"", "-5", "null"};
    List<RunRecord> runs = new ArrayList<>();
    for (int i = 0; i < rows.length; i++) {
      EventIntake in =
          store.receiveEvent(
              new NewEvent("batch", "test", "e" + i, "{\"rows\": " + rows[i] + "}"), T0);
      runs.addAll(in.runs());
      // each runs for i + 1 seconds
      Assignment a = claimAll(T0).get(0);
      store.completeAttempts(
          "w1",
          List.of(new Completion(a.attemptId(), AttemptState.SUCCEEDED, 0, null).fenced(a.fence())),
          T0.plusSeconds(i + 1),
          RANDOM);
    }
    assertThat(runs)
        .extracting(RunRecord::size)
        .as("numbers and numeric texts count; other values are no size")
        .containsExactly(100.0, 2500.0, null, null, null);
    List<Sample> history = store.taskDurations(key, Long.MAX_VALUE, 200).get("main");
    assertThat(history)
        .extracting(Sample::millis)
        .containsExactly(1000.0, 2000.0, 3000.0, 4000.0, 5000.0);
    assertThat(history.get(0).size()).isEqualTo(100.0);
    assertThat(history.get(1).size()).isEqualTo(2500.0);
    assertThat(history.get(2).size()).isNaN();
    assertThat(trigger(key).size()).as("a manual run has no parameters").isNull();
  }

  @Test
  void aPermanentFailureIsNotRetriedWhateverThePolicyAllows() {
    RunRecord run =
        trigger(apply(job("rejected", "retryPolicy: {maxRetries: 5, initialInterval: 1s}"), null));
    Assignment a = claimAll(T0).get(0);
    store.completeAttempts(
        "w1",
        List.of(Completion.permanentFailure(a.attemptId(), 404, "HTTP 404").fenced(a.fence())),
        T0,
        RANDOM);
    assertThat(store.findRun(run.id()).orElseThrow().state()).isEqualTo(RunState.FAILED);
    assertThat(store.attemptsOf(run.id())).hasSize(1);
  }

  @Test
  void aTaskThatSucceedsEmitsItsEventsAndTheSubscribedJobsStartInTheSameTransaction() {
    JobKey producer =
        apply(
            JobManifestCodec.parseYaml(
                """
                apiVersion: kairos.dev/v1
                kind: Job
                metadata: {name: producer}
                spec:
                  task: {shell: {command: "true"}, emits: [orders-loaded]}
                """),
            null);
    JobKey consumer =
        apply(
            job(
                "consumer",
                "triggers: [{event: {type: orders-loaded, filter: \"data.rows > 0\"}}]"),
            null);
    RunRecord run = trigger(producer);
    Assignment a = claimAll(T0).get(0);
    Completed done =
        store.completeAttempts(
            "w1",
            List.of(
                new Completion(a.attemptId(), AttemptState.SUCCEEDED, 0, null, Map.of("rows", "5"))
                    .fenced(a.fence())),
            T0,
            RANDOM);
    assertThat(done.queued()).as("the consumer's run is due at once").isEqualTo(1);
    assertThat(done.pools())
        .as("the started runs' pools are not known: every pool is woken")
        .isEmpty();
    assertThat(store.findRun(run.id()).orElseThrow().state()).isEqualTo(RunState.SUCCEEDED);
    List<RunRecord> started = store.listRuns(new RunQuery(consumer, null, 10, null));
    assertThat(started).extracting(RunRecord::trigger).containsExactly(TriggerKind.EVENT);
    Assignment next = claimAll(T0).get(0);
    assertThat(next.job()).isEqualTo("consumer");
    assertThat(next.event())
        .contains("\"type\":\"orders-loaded\"")
        .contains("\"source\":\"kairos://default/producer\"")
        .contains("\"id\":\"" + run.id() + "/main\"")
        .contains("\"rows\":\"5\"");
  }

  @Test
  void runsOfJobsWithADeadlineAreCheckedUntilTheyAreAlertedAtRisk() {
    JobKey key = apply(job("due", "deadline: \"06:00\""), null);
    apply(job("free", ""), null);
    RunRecord run = trigger(key);
    trigger(new JobKey("default", "free"));
    claimAll(T0);
    assertThat(store.runsWithDeadlines()).extracting(RunRecord::id).containsExactly(run.id());
    assertThat(store.raiseRunEvent(run.id(), AlertKind.SLA_AT_RISK, "late", T0)).isTrue();
    assertThat(store.raiseRunEvent(run.id(), AlertKind.SLA_AT_RISK, "late", T0)).isFalse();
    assertThat(store.runsWithDeadlines()).isEmpty();
    Webhook ops =
        new Webhook(
            java.net.URI.create("http://ops.example/"), Webhook.Format.JSON, java.util.Set.of());
    assertThat(store.raiseAlerts(T0, 10, List.of(ops))).isEqualTo(1);
    assertThat(store.raiseRunEvent(run.id(), AlertKind.SLA_AT_RISK, "late", T0)).isFalse();
  }

  @Test
  void theAuditLogListsCallsNewestFirstByPageAndToken() {
    for (int i = 1; i <= 5; i++) {
      store.recordAudit(
          new AuditEntry(
              0,
              T0.plusSeconds(i),
              i % 2 == 0 ? "ci" : "admin",
              "POST",
              "/api/v1/runs/{id}/cancel",
              "/api/v1/runs/" + i + "/cancel",
              null,
              200,
              "127.0.0.1"));
    }
    store.recordAudit(
        new AuditEntry(
            0,
            T0.plusSeconds(6),
            null,
            "PUT",
            "/api/v1/jobs",
            "/api/v1/jobs",
            "default/x",
            401,
            "10.0.0.9"));
    List<AuditEntry> page = store.listAudit(new AuditQuery(null, null, 4));
    assertThat(page)
        .extracting(AuditEntry::path)
        .containsExactly(
            "/api/v1/jobs",
            "/api/v1/runs/5/cancel",
            "/api/v1/runs/4/cancel",
            "/api/v1/runs/3/cancel");
    assertThat(page.get(0).tokenName()).isNull();
    assertThat(page.get(0).subject()).isEqualTo("default/x");
    assertThat(page.get(0).status()).isEqualTo(401);
    assertThat(page.get(1).at()).isEqualTo(T0.plusSeconds(5));
    assertThat(store.listAudit(new AuditQuery(null, page.get(3).id(), 10)))
        .extracting(AuditEntry::path)
        .containsExactly("/api/v1/runs/2/cancel", "/api/v1/runs/1/cancel");
    assertThat(store.listAudit(new AuditQuery("ci", null, 10)))
        .extracting(AuditEntry::path)
        .containsExactly("/api/v1/runs/4/cancel", "/api/v1/runs/2/cancel");
    assertThat(store.pruneAudit(T0.plusSeconds(3), 100)).isEqualTo(2);
    assertThat(store.listAudit(new AuditQuery(null, null, 10))).hasSize(4);
  }

  @Test
  void bulkCreatedRunsEachQueueOneAttempt() {
    JobKey key = apply(job("bulk", ""), null);
    List<NewRun> runs = new ArrayList<>();
    for (int i = 0; i < 1234; i++) {
      runs.add(NewRun.manual(key, i % 2 == 0 ? "k" + i : null));
    }
    List<RunRecord> created = store.createRuns(runs, T0);
    assertThat(created).hasSize(1234);
    assertThat(created.stream().map(RunRecord::id).distinct()).hasSize(1234);
    assertThat(store.countRuns(key, RunState.PENDING)).isEqualTo(1234);
    assertThat(store.createRuns(List.of(NewRun.manual(key, "k2")), T0).get(0).id())
        .isEqualTo(created.get(2).id());
    int claimed = 0;
    List<Assignment> got;
    while (!(got = store.claimAttempts(Claim.any("default", "w", 500), T0, Duration.ZERO, LEASE))
        .isEmpty()) {
      claimed += got.size();
    }
    assertThat(claimed).isEqualTo(1234);
  }
}
