package dev.kairos.server.isolation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kairos.core.alert.AlertKind;
import dev.kairos.core.protocol.Assignment;
import dev.kairos.core.protocol.Completion;
import dev.kairos.core.protocol.LeaseTerms;
import dev.kairos.core.run.AttemptState;
import dev.kairos.core.run.RunState;
import dev.kairos.core.spec.JobKey;
import dev.kairos.core.spec.JobManifest;
import dev.kairos.core.spec.JobManifestCodec;
import dev.kairos.server.alerts.AlertDuty;
import dev.kairos.server.alerts.AlertSettings;
import dev.kairos.server.alerts.WebhookSender;
import dev.kairos.server.dispatch.Dispatcher;
import dev.kairos.server.events.DirectSource;
import dev.kairos.server.loop.Signal;
import dev.kairos.server.pools.HeldRunReleaser;
import dev.kairos.server.reaper.LeaseReaper;
import dev.kairos.server.retention.RetentionPruner;
import dev.kairos.server.ticker.SchedulePlanner;
import dev.kairos.server.ticker.TriggerTicker;
import dev.kairos.store.AlertQuery;
import dev.kairos.store.AlertRecord;
import dev.kairos.store.AttemptRecord;
import dev.kairos.store.Claim;
import dev.kairos.store.JobRecord;
import dev.kairos.store.NewEvent;
import dev.kairos.store.NewRun;
import dev.kairos.store.RunQuery;
import dev.kairos.store.RunRecord;
import dev.kairos.store.Store;
import dev.kairos.store.StoreConfig;
import dev.kairos.store.StoreFactory;
import dev.kairos.store.testing.SettableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each background loop, and the recording of completions, keeps one item's failure inside that
 * item, on a real store with faults injected around it ({@link FaultyStore}): (a) a failure that
 * may pass is retried and nothing is lost; (b) an item that fails alone for good is set aside with
 * its reason, counted and alerted, and the other items go on. Time comes from a settable clock.
 */
abstract class IsolationContract {
  static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");
  static final Duration LEASE = Duration.ofSeconds(15);
  static final RandomGenerator RANDOM = RandomGenerator.of("L64X128MixRandom");

  @TempDir Path dir;
  private final Deque<AutoCloseable> cleanups = new ArrayDeque<>();
  Store real;
  FaultyStore faults;
  Store store;
  final SettableClock clock = new SettableClock(T0);
  final Isolation isolation = new Isolation(new SimpleMeterRegistry());

  /** A fresh database of the store under test. */
  protected abstract StoreConfig newDatabase() throws Exception;

  protected void cleanup(AutoCloseable c) {
    cleanups.push(c);
  }

  @BeforeEach
  void open() throws Exception {
    real = StoreFactory.open(newDatabase());
    faults = FaultyStore.around(real);
    store = faults.store();
  }

  @AfterEach
  void close() throws Exception {
    real.close();
    while (!cleanups.isEmpty()) {
      cleanups.pop().close();
    }
  }

  JobKey apply(String name, String spec) {
    JobManifest m =
        JobManifestCodec.parseYaml(
            """
            apiVersion: kairos.dev/v1
            kind: Job
            metadata: {name: %s}
            spec:
              alerts: {webhooks: [{url: "http://127.0.0.1:9/hook"}]}
              %s
            """
                .formatted(name, spec));
    Instant next = m.spec().schedule() == null ? null : T0;
    real.applyJob(m, JobManifestCodec.toJson(m), next, T0);
    return m.key();
  }

  JobKey applyTask(String name) {
    return apply(name, "task: {shell: {command: \"true\"}}");
  }

  RunRecord trigger(JobKey job) {
    return real.createRun(NewRun.manual(job, null), clock.instant());
  }

  List<Assignment> claim(String worker) {
    return real.claimAttempts(
        Claim.any("default", worker, 100), clock.instant(), Duration.ZERO, LEASE);
  }

  RunRecord run(RunRecord r) {
    return real.findRun(r.id()).orElseThrow();
  }

  AttemptRecord onlyAttempt(RunRecord r) {
    List<AttemptRecord> attempts = real.attemptsOf(r.id());
    return attempts.get(attempts.size() - 1);
  }

  /** The kinds of the alerts raised for a run (deliveries to the job's webhook). */
  List<AlertKind> alertKinds(RunRecord r) {
    real.raiseAlerts(clock.instant(), 1_000, List.of());
    return real.listAlerts(new AlertQuery(null, r.id(), null, null, 100)).stream()
        .map(AlertRecord::kind)
        .toList();
  }

  static long attemptOf(List<Assignment> claimed, RunRecord run) {
    return claimed.stream()
        .filter(a -> a.runId() == run.id())
        .findFirst()
        .orElseThrow()
        .attemptId();
  }

  static boolean holds(Object[] args, long attemptId) {
    for (Object arg : args) {
      if (arg instanceof Collection<?> items) {
        for (Object item : items) {
          if (item instanceof Completion c && c.attemptId() == attemptId
              || item instanceof Long id && id == attemptId) {
            return true;
          }
        }
      }
    }
    return false;
  }

  Dispatcher dispatcher() {
    return new Dispatcher(
        store,
        clock,
        new Signal(),
        new LeaseTerms(LEASE, Duration.ofSeconds(5)),
        100,
        Duration.ZERO,
        RANDOM,
        ended -> {},
        isolation);
  }

  static List<Completion> succeeded(List<Assignment> claimed) {
    return claimed.stream()
        .map(a -> new Completion(a.attemptId(), AttemptState.SUCCEEDED, 0, null).fenced(a.fence()))
        .toList();
  }

  // ---- completions --------------------------------------------------------------------------

  @Test
  void aCompletionThatFailsAloneIsSetAsideAndTheOthersAreRecorded() {
    JobKey good = applyTask("good");
    JobKey poison = applyTask("poison");
    RunRecord g1 = trigger(good);
    RunRecord p = trigger(poison);
    RunRecord g2 = trigger(good);
    List<Assignment> claimed = claim("w1");
    long bad = attemptOf(claimed, p);
    faults.always("completeAttempts", args -> holds(args, bad), FaultyStore::overflow);

    dispatcher().complete("w1", succeeded(claimed));

    assertThat(run(g1).state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(run(g2).state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(run(p).state()).isEqualTo(RunState.FAILED);
    assertThat(run(p).reason())
        .isEqualTo(
            "task main was set aside: internal error in completions: ArithmeticException: long"
                + " overflow (injected)");
    assertThat(onlyAttempt(p).state()).isEqualTo(AttemptState.FAILED);
    assertThat(onlyAttempt(p).error())
        .isEqualTo("internal error in completions: ArithmeticException: long overflow (injected)");
    assertThat(isolation.count("completions")).isEqualTo(1);
    assertThat(alertKinds(p)).contains(AlertKind.INTERNAL_ERROR, AlertKind.RUN_FAILED);
    assertThat(alertKinds(g1)).isEmpty();
  }

  @Test
  void aCompletionBatchThatCannotReachTheStoreIsSentAgainAndNothingIsLost() {
    JobKey good = applyTask("good");
    List<RunRecord> runs = List.of(trigger(good), trigger(good), trigger(good));
    List<Assignment> claimed = claim("w1");
    faults.times(2, "completeAttempts", args -> true, FaultyStore::connectionLost);
    Dispatcher dispatcher = dispatcher();

    // the worker's outbox sends the same batch again until it is recorded
    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> dispatcher.complete("w1", succeeded(claimed)))
          .hasMessageContaining("connection lost");
    }
    dispatcher.complete("w1", succeeded(claimed));

    assertThat(runs).allSatisfy(r -> assertThat(run(r).state()).isEqualTo(RunState.SUCCEEDED));
    assertThat(isolation.count("completions")).isZero();
  }

  // ---- lease reaper -------------------------------------------------------------------------

  LeaseReaper reaper() {
    return new LeaseReaper(
        store, clock, Duration.ofSeconds(1), LEASE, RANDOM, new Signal(), ended -> {}, isolation);
  }

  @Test
  void anExpiredLeaseWhoseReapingFailsAloneIsSetAsideAndTheOthersAreReaped() throws Exception {
    JobKey job = applyTask("job");
    RunRecord a = trigger(job);
    RunRecord p = trigger(job);
    RunRecord b = trigger(job);
    List<Assignment> claimed = claim("dead-worker");
    long bad = attemptOf(claimed, p);
    faults.always("reapAttempts", args -> holds(args, bad), FaultyStore::overflow);
    clock.advance(LEASE.plusSeconds(1));

    reaper().runRound();

    // lost, not failed: queued again at once under the loss budget
    for (RunRecord r : List.of(a, b)) {
      assertThat(real.attemptsOf(r.id()))
          .extracting(AttemptRecord::state)
          .containsExactly(AttemptState.LOST, AttemptState.QUEUED);
      assertThat(run(r).state()).isEqualTo(RunState.RUNNING);
    }
    assertThat(onlyAttempt(p).state()).isEqualTo(AttemptState.FAILED);
    assertThat(onlyAttempt(p).error()).startsWith("internal error in lease-reaper: ");
    assertThat(run(p).state()).isEqualTo(RunState.FAILED);
    assertThat(isolation.count("lease-reaper")).isEqualTo(1);
  }

  @Test
  void aReaperRoundThatCannotReachTheStoreIsDoneAgainNextRound() throws Exception {
    JobKey job = applyTask("job");
    RunRecord a = trigger(job);
    claim("dead-worker");
    faults.times(1, "reapAttempts", args -> true, FaultyStore::connectionLost);
    clock.advance(LEASE.plusSeconds(1));
    LeaseReaper reaper = reaper();

    assertThatThrownBy(reaper::runRound).hasMessageContaining("connection lost");
    assertThat(onlyAttempt(a).state()).isEqualTo(AttemptState.RUNNING);
    clock.advance(Duration.ofSeconds(1));
    reaper.runRound();

    assertThat(real.attemptsOf(a.id()))
        .extracting(AttemptRecord::state)
        .containsExactly(AttemptState.LOST, AttemptState.QUEUED);
    assertThat(isolation.count("lease-reaper")).isZero();
  }

  // ---- trigger ticker -----------------------------------------------------------------------

  TriggerTicker ticker() {
    return new TriggerTicker(
        store,
        clock,
        new SchedulePlanner(),
        Duration.ofSeconds(10),
        Duration.ZERO,
        Duration.ZERO,
        new Signal(),
        new Signal(),
        runs -> {},
        isolation);
  }

  List<RunRecord> runsOf(JobKey job) {
    return real.listRuns(new RunQuery(job, null, 100, null));
  }

  @Test
  void aScheduleWhoseFireFailsAloneIsSetAsideAndTheOthersFireOnTime() throws Exception {
    String every = "schedule: \"* * * * *\"\n  task: {shell: {command: \"true\"}}";
    JobKey a = apply("a", every);
    JobKey poison = apply("poison", every);
    JobKey b = apply("b", every);
    faults.always("fireDueTriggers", args -> true, FaultyStore::overflow);
    faults.always("fireDueTrigger", args -> args[0].equals(poison), FaultyStore::overflow);

    ticker().runRound();

    assertThat(runsOf(a)).singleElement().satisfies(r -> assertThat(r.fireTime()).isEqualTo(T0));
    assertThat(runsOf(b)).singleElement().satisfies(r -> assertThat(r.fireTime()).isEqualTo(T0));
    JobRecord stopped = real.findJob(poison).orElseThrow();
    assertThat(stopped.nextFireAt()).isNull();
    assertThat(stopped.scheduleError()).startsWith("internal error in trigger-ticker: ");
    RunRecord failed = runsOf(poison).get(0);
    assertThat(failed.state()).isEqualTo(RunState.FAILED);
    assertThat(failed.fireTime()).isEqualTo(T0);
    assertThat(failed.reason()).startsWith("the schedule was set aside: internal error");
    assertThat(alertKinds(failed)).contains(AlertKind.INTERNAL_ERROR, AlertKind.RUN_FAILED);
    assertThat(isolation.count("trigger-ticker")).isEqualTo(1);

    // applied again, the schedule starts again
    JobManifest m = real.findJob(poison).orElseThrow().manifest();
    real.applyJob(m, JobManifestCodec.toJson(m), T0.plusSeconds(60), clock.instant());
    JobRecord restarted = real.findJob(poison).orElseThrow();
    assertThat(restarted.scheduleError()).isNull();
    assertThat(restarted.nextFireAt()).isEqualTo(T0.plusSeconds(60));
  }

  @Test
  void aFireThatCannotReachTheStoreHappensNextRound() throws Exception {
    JobKey a = apply("a", "schedule: \"* * * * *\"\n  task: {shell: {command: \"true\"}}");
    faults.times(1, "fireDueTriggers", args -> true, FaultyStore::connectionLost);
    TriggerTicker ticker = ticker();

    assertThatThrownBy(ticker::runRound).hasMessageContaining("connection lost");
    assertThat(runsOf(a)).isEmpty();
    ticker.runRound();

    assertThat(runsOf(a)).singleElement().satisfies(r -> assertThat(r.fireTime()).isEqualTo(T0));
    assertThat(real.findJob(a).orElseThrow().scheduleError()).isNull();
  }

  // ---- event intake -------------------------------------------------------------------------

  static String event(String id) {
    return """
    {"specversion": "1.0", "id": "%s", "source": "test", "type": "ready"}\
    """
        .formatted(id);
  }

  @Test
  void anEventWhoseStoringFailsAloneIsRejectedAndTheOthersStartTheirRuns() {
    JobKey a =
        apply("a", "triggers: [{event: {type: ready}}]\n  task: {shell: {command: \"true\"}}");
    faults.always(
        "receiveEvent", args -> ((NewEvent) args[0]).id().equals("poison"), FaultyStore::overflow);
    DirectSource source = new DirectSource(store, clock, isolation);

    assertThat(source.deliver(event("e1"))).isEqualTo("ACK");
    assertThat(source.deliver(event("poison"))).isEqualTo("REJECT");
    assertThat(source.deliver(event("e2"))).isEqualTo("ACK");

    assertThat(runsOf(a)).hasSize(2);
    assertThat(isolation.count("event-intake")).isEqualTo(1);
  }

  @Test
  void anEventThatCannotReachTheStoreIsRedeliveredAndStartsItsRunOnce() {
    JobKey a =
        apply("a", "triggers: [{event: {type: ready}}]\n  task: {shell: {command: \"true\"}}");
    faults.times(1, "receiveEvent", args -> true, FaultyStore::connectionLost);
    DirectSource source = new DirectSource(store, clock, isolation);

    assertThat(source.deliver(event("e1"))).isEqualTo("RETRY");
    assertThat(runsOf(a)).isEmpty();
    assertThat(source.deliver(event("e1"))).isEqualTo("ACK");
    assertThat(source.deliver(event("e1"))).as("a redelivery of a stored event").isEqualTo("ACK");

    assertThat(runsOf(a)).hasSize(1);
    assertThat(isolation.count("event-intake")).isZero();
  }

  // ---- held runs ----------------------------------------------------------------------------

  @Test
  void heldRunsThatFailToStartAloneAreSetAsideAndOtherJobsStart() throws Exception {
    String limited = "maxActiveRuns: 1\n  task: {shell: {command: \"true\"}}";
    JobKey good = apply("good", limited);
    JobKey poison = apply("poison", limited);
    RunRecord goodFirst = trigger(good);
    RunRecord goodHeld = trigger(good);
    trigger(poison);
    RunRecord poisonHeld = trigger(poison);
    List<Assignment> claimed = claim("w1");
    real.completeAttempts("w1", succeeded(claimed), clock.instant(), RANDOM);
    assertThat(run(goodFirst).state()).isEqualTo(RunState.SUCCEEDED);
    faults.always(
        "releaseHeldRuns",
        args -> args[0] instanceof Instant || args[0].equals(poison),
        FaultyStore::overflow);

    new HeldRunReleaser(store, clock, Duration.ofSeconds(1), new Signal(), isolation).runRound();

    assertThat(onlyAttempt(goodHeld).state()).isEqualTo(AttemptState.QUEUED);
    assertThat(run(poisonHeld).state()).isEqualTo(RunState.FAILED);
    assertThat(run(poisonHeld).reason())
        .startsWith("the run could not be started and was set aside");
    assertThat(isolation.count("held-runs")).isEqualTo(1);
  }

  // ---- alert duty ---------------------------------------------------------------------------

  @Test
  void anAlertEventThatFailsAloneIsDroppedAndTheOthersAreRaised() throws Exception {
    JobKey job = applyTask("job");
    RunRecord a = trigger(job);
    RunRecord p = trigger(job);
    real.raiseRunEvent(a.id(), AlertKind.SLA_AT_RISK, "late", clock.instant());
    real.raiseRunEvent(p.id(), AlertKind.SLA_AT_RISK, "late", clock.instant());
    List<Long> events = real.pendingAlertEvents(10);
    assertThat(events).hasSize(2);
    long bad = events.get(1);
    faults.always("raiseAlerts", args -> true, FaultyStore::overflow);
    faults.always("raiseAlert", args -> args[0].equals(bad), FaultyStore::overflow);
    AlertDuty duty =
        new AlertDuty(
            store,
            clock,
            new AlertSettings(List.of(), dir.resolve("key")),
            new WebhookSender(new byte[32], clock, "http://127.0.0.1:1"),
            isolation);

    duty.runRound();

    assertThat(real.pendingAlertEvents(10)).isEmpty();
    assertThat(real.listAlerts(new AlertQuery(null, a.id(), null, null, 10)))
        .extracting(AlertRecord::kind)
        .containsExactly(AlertKind.SLA_AT_RISK);
    assertThat(real.listAlerts(new AlertQuery(null, p.id(), null, null, 10))).isEmpty();
    assertThat(isolation.count("alerts")).isEqualTo(1);
  }

  // ---- retention ----------------------------------------------------------------------------

  RetentionPruner retention() {
    return new RetentionPruner(
        store,
        clock,
        Duration.ofDays(30),
        Duration.ofHours(24),
        Duration.ofMinutes(1),
        isolation,
        new SimpleMeterRegistry());
  }

  /** Runs of jobs that keep no history, ended: everything of them is past it. */
  List<RunRecord> endedRuns(JobKey... jobs) {
    List<RunRecord> runs = new java.util.ArrayList<>();
    for (JobKey job : jobs) {
      runs.add(trigger(job));
    }
    real.completeAttempts("w1", succeeded(claim("w1")), clock.instant(), RANDOM);
    clock.advance(Duration.ofSeconds(1));
    return runs;
  }

  static final String NO_HISTORY =
      "history: {successfulRuns: 0, failedRuns: 0}\n  task: {shell: {command: \"true\"}}";

  @Test
  void aJobWhoseHistoryCannotBeReadAloneIsSetAsideAndOtherJobsArePruned() throws Exception {
    JobKey good = apply("good", NO_HISTORY);
    JobKey poison = apply("poison", NO_HISTORY);
    List<RunRecord> runs = endedRuns(good, poison, good);
    faults.always("historyCut", args -> args[0].equals(poison), FaultyStore::overflow);
    RetentionPruner pruner = retention();

    pruner.runRound();
    pruner.runRound();

    assertThat(real.findRun(runs.get(0).id())).isEmpty();
    assertThat(real.findRun(runs.get(2).id())).isEmpty();
    assertThat(real.findRun(runs.get(1).id())).isPresent();
    // set aside once, then skipped
    assertThat(isolation.count("retention")).isEqualTo(1);
  }

  @Test
  void aRunThatCannotBeDeletedAloneIsSetAsideAndTheOthersGo() throws Exception {
    JobKey job = apply("job", NO_HISTORY);
    List<RunRecord> runs = endedRuns(job, job, job);
    long bad = runs.get(1).id();
    faults.always("deleteRuns", args -> holds(args, bad), FaultyStore::overflow);
    RetentionPruner pruner = retention();

    pruner.runRound();
    pruner.runRound();

    assertThat(runsOf(job)).extracting(RunRecord::id).containsExactly(bad);
    assertThat(isolation.count("retention")).isEqualTo(1);
  }

  @Test
  void aRetentionRoundThatCannotReachTheStoreIsDoneAgain() throws Exception {
    JobKey job = apply("job", NO_HISTORY);
    endedRuns(job, job);
    faults.times(1, "deleteRuns", args -> true, FaultyStore::connectionLost);
    RetentionPruner pruner = retention();

    assertThatThrownBy(pruner::runRound).hasMessageContaining("connection lost");
    assertThat(runsOf(job)).hasSize(2);
    pruner.runRound();

    assertThat(runsOf(job)).isEmpty();
    assertThat(isolation.count("retention")).isZero();
  }
}
