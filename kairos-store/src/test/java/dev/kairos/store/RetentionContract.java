package dev.kairos.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kairos.core.alert.Webhook;
import dev.kairos.core.protocol.Assignment;
import dev.kairos.core.protocol.Completion;
import dev.kairos.core.protocol.LogChunk;
import dev.kairos.core.run.AttemptState;
import dev.kairos.core.run.RunState;
import dev.kairos.core.spec.JobKey;
import dev.kairos.core.spec.JobManifest;
import dev.kairos.core.spec.JobManifestCodec;
import dev.kairos.store.testing.SettableClock;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/**
 * Retention, part of the store contract (every store runs it): which ended runs a job's {@code
 * spec.history} and the server's retention no longer keep, that they go with their attempts and
 * logs a small transaction at a time, that a run not over is never deleted, and that events, alert
 * deliveries and audit entries go after their cutoff. Time comes from a settable clock.
 */
interface RetentionContract {
  Instant START = Instant.parse("2026-06-01T00:00:00Z");
  Duration RETENTION = Duration.ofDays(30);
  RandomGenerator RANDOMNESS = RandomGenerator.of("L64X128MixRandom");

  Store store();

  /** The clock of one test: every call below is made at its time. */
  SettableClock clock();

  /** Applies a one-task job {@code name} with these spec lines. */
  default JobKey retained(String name, String spec) {
    JobManifest m =
        JobManifestCodec.parseYaml(
            """
            apiVersion: kairos.dev/v1
            kind: Job
            metadata: {name: %s}
            spec:
            %s
              task: {shell: {command: "true"}}
            """
                .formatted(name, spec.indent(2)));
    store().applyJob(m, JobManifestCodec.toJson(m), null, clock().instant());
    return m.key();
  }

  default RunRecord started(JobKey job) {
    return store().createRun(NewRun.manual(job, null), clock().instant());
  }

  /** Claims the one queued attempt there is, which must be {@code run}'s. */
  default Assignment claimed(RunRecord run) {
    List<Assignment> got =
        store()
            .claimAttempts(
                Claim.any("default", "w", 10),
                clock().instant(),
                Duration.ZERO,
                Duration.ofHours(1));
    assertThat(got).extracting(Assignment::runId).containsExactly(run.id());
    return got.get(0);
  }

  /** A run of {@code job} that ran a second and ended {@code outcome}, with {@code logs} chunks. */
  default RunRecord ended(JobKey job, AttemptState outcome, int logs) {
    RunRecord run = started(job);
    Assignment a = claimed(run);
    List<LogChunk> chunks = new ArrayList<>();
    for (int i = 0; i < logs; i++) {
      chunks.add(
          new LogChunk(a.attemptId(), i, "stdout", clock().millis(), "line " + i)
              .fenced(a.fence()));
    }
    store().appendLogs(chunks);
    clock().advance(Duration.ofSeconds(1));
    store()
        .completeAttempts(
            "w",
            List.of(new Completion(a.attemptId(), outcome, 0, null).fenced(a.fence())),
            clock().instant(),
            RANDOMNESS);
    clock().advance(Duration.ofSeconds(1));
    return store().findRun(run.id()).orElseThrow();
  }

  default RunRecord cancelledWhileQueued(JobKey job) {
    RunRecord run = started(job);
    return store().cancelRun(run.id(), "stop", clock().instant()).orElseThrow();
  }

  /** Turns the recorded alert events into deliveries (none: no webhooks), as the server does. */
  default void alertsRaised() {
    store().raiseAlerts(clock().instant(), 1_000, List.of());
  }

  default boolean exists(RunRecord run) {
    return store().findRun(run.id()).isPresent();
  }

  /** The regression of issue 18: nothing deleted a run, its attempts or logs but its job. */
  @Test
  default void endedRunsOlderThanTheRetentionGoWithTheirAttemptsAndLogs() {
    JobKey job = retained("old", "");
    RunRecord old = ended(job, AttemptState.SUCCEEDED, 3);
    RunRecord stillRunning = started(job);
    claimed(stillRunning);
    clock().advance(Duration.ofDays(20));
    RunRecord recent = ended(job, AttemptState.SUCCEEDED, 1);
    clock().advance(Duration.ofDays(15));
    Instant cutoff = clock().instant().minus(RETENTION);

    List<Long> due = store().runsEndedBefore(cutoff, 100);
    assertThat(due).containsExactly(old.id());
    Pruned pruned =
        store().deleteRuns(List.of(old.id(), stillRunning.id(), recent.id()), cutoff, 500);

    // one transaction: the run, its attempt and its 3 log chunks
    assertThat(pruned).isEqualTo(new Pruned(1, 1, 3, 5));
    assertThat(exists(old)).isFalse();
    assertThat(store().attemptsOf(old.id())).isEmpty();
    assertThat(store().logsOfRun(old.id())).isEmpty();
    // a run that is not over is never deleted, however old, even when asked to
    assertThat(store().findRun(stillRunning.id()).orElseThrow().state())
        .isEqualTo(RunState.RUNNING);
    assertThat(store().attemptsOf(stillRunning.id())).hasSize(1);
    assertThat(exists(recent)).isTrue();
    assertThat(store().logsOfRun(recent.id())).hasSize(1);
    assertThat(store().runsEndedBefore(cutoff, 100)).isEmpty();
  }

  @Test
  default void historyKeepsTheNewestRunsOfEachKindPerJob() {
    JobKey job = retained("kept", "history: {successfulRuns: 2, failedRuns: 1}");
    JobKey other = retained("other", "");
    RunRecord s1 = ended(job, AttemptState.SUCCEEDED, 0);
    RunRecord f1 = ended(job, AttemptState.FAILED, 2);
    RunRecord s2 = ended(job, AttemptState.SUCCEEDED, 0);
    RunRecord c1 = cancelledWhileQueued(job);
    RunRecord s3 = ended(job, AttemptState.SUCCEEDED, 0);
    RunRecord f2 = ended(job, AttemptState.TIMED_OUT, 0);
    RunRecord s4 = ended(job, AttemptState.SUCCEEDED, 0);
    for (int i = 0; i < 3; i++) {
      ended(other, AttemptState.SUCCEEDED, 0);
    }
    alertsRaised();
    assertThat(f2.state()).isEqualTo(RunState.FAILED);
    assertThat(c1.state()).isEqualTo(RunState.CANCELLED);

    assertThat(store().runsPastHistory(job, 100))
        .containsExactly(s1.id(), f1.id(), s2.id(), c1.id());
    assertThat(store().runsPastHistory(job, 2)).containsExactly(s1.id(), f1.id());
    assertThat(store().runsPastHistory(other, 100)).isEmpty();
    assertThat(store().runsPastHistory(new JobKey("default", "gone"), 100)).isEmpty();
    assertThat(store().historyCut(new JobKey("default", "gone"))).isEqualTo(HistoryCut.NONE);
    // a cut found before more runs end still holds: they are newer, and past it is past it
    HistoryCut cut = store().historyCut(job);
    RunRecord s5 = ended(job, AttemptState.SUCCEEDED, 0);
    assertThat(store().runsPastHistory(job, cut, 100))
        .containsExactly(s1.id(), f1.id(), s2.id(), c1.id());
    assertThat(store().runsPastHistory(job, 100))
        .containsExactly(s1.id(), f1.id(), s2.id(), c1.id(), s3.id());

    RunRecord active = started(job);
    Pruned pruned =
        store().deleteRuns(store().runsPastHistory(job, cut, 100), clock().instant(), 500);
    assertThat(pruned.runs()).isEqualTo(4);
    assertThat(pruned.attempts()).isEqualTo(4);
    assertThat(pruned.logs()).isEqualTo(2);
    assertThat(store().listRuns(new RunQuery(job, null, 100, null)))
        .extracting(RunRecord::id)
        .containsExactlyInAnyOrder(s3.id(), f2.id(), s4.id(), s5.id(), active.id());
    assertThat(store().runsPastHistory(job, 100)).containsExactly(s3.id());
    assertThat(store().listRuns(new RunQuery(other, null, 100, null))).hasSize(3);
  }

  @Test
  default void aHistoryOfZeroKeepsNoEndedRunOfThatKind() {
    JobKey job = retained("none", "history: {successfulRuns: 0, failedRuns: 0}");
    RunRecord a = ended(job, AttemptState.SUCCEEDED, 0);
    RunRecord b = cancelledWhileQueued(job);
    RunRecord c = ended(job, AttemptState.SUCCEEDED, 0);
    assertThat(store().runsPastHistory(job, 100)).containsExactly(a.id(), b.id(), c.id());
  }

  @Test
  default void aRunIsKeptWhileAnythingOfItIsActiveOrOwed() {
    JobKey job = retained("busy", "history: {successfulRuns: 0, failedRuns: 0}");
    // cancelled while its attempt runs: the run has ended, its attempt has not been killed yet
    RunRecord cancelled = started(job);
    Assignment running = claimed(cancelled);
    store().cancelRun(cancelled.id(), "stop", clock().instant());
    assertThat(store().findRun(cancelled.id()).orElseThrow().state()).isEqualTo(RunState.CANCELLED);
    // failed: its runFailed alert is not raised yet
    RunRecord failed = ended(job, AttemptState.FAILED, 0);
    Instant later = clock().instant().plus(Duration.ofDays(400));

    assertThat(store().runsPastHistory(job, 100)).isEmpty();
    assertThat(store().runsEndedBefore(later, 100)).isEmpty();
    assertThat(store().deleteRuns(List.of(cancelled.id(), failed.id()), later, 500))
        .isEqualTo(Pruned.NONE);
    assertThat(exists(cancelled)).isTrue();
    assertThat(exists(failed)).isTrue();

    alertsRaised();
    store()
        .completeAttempts(
            "w",
            List.of(
                new Completion(running.attemptId(), AttemptState.CANCELLED, null, null)
                    .fenced(running.fence())),
            clock().instant(),
            RANDOMNESS);
    assertThat(store().runsPastHistory(job, 100)).containsExactly(cancelled.id(), failed.id());
    assertThat(store().runsEndedBefore(later, 100)).containsExactly(cancelled.id(), failed.id());
  }

  @Test
  default void runsAreDeletedAtMostTheGivenRowsPerTransaction() {
    JobKey job = retained("chatty", "");
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ids.add(ended(job, AttemptState.SUCCEEDED, 4).id());
    }
    clock().advance(RETENTION.plusDays(1));
    Instant cutoff = clock().instant().minus(RETENTION);
    assertThat(store().runsEndedBefore(cutoff, 2)).containsExactly(ids.get(0), ids.get(1));

    Pruned pruned = store().deleteRuns(store().runsEndedBefore(cutoff, 100), cutoff, 3);

    // each run is 6 rows: their 12 log chunks 3 at a time first, then the runs with their
    // attempts (2 rows each), one a transaction
    assertThat(pruned).isEqualTo(new Pruned(3, 3, 12, 3));
    assertThat(store().listRuns(new RunQuery(job, null, 100, null))).isEmpty();
    assertThat(store().runsEndedBefore(cutoff, 100)).isEmpty();
  }

  @Test
  default void eventsAlertDeliveriesAndAuditEntriesGoAfterTheirCutoffALimitAtATime() {
    for (int i = 0; i < 5; i++) {
      store()
          .recordAudit(
              new AuditEntry(0, clock().instant(), "ci", "POST", "/r", "/r", null, 200, "::1"));
      store().receiveEvent(new NewEvent("tick", "test", "e" + i, null), clock().instant());
      clock().advance(Duration.ofSeconds(1));
    }
    Instant cutoff = START.plusSeconds(3);
    assertThat(store().pruneAudit(cutoff, 2)).isEqualTo(2);
    assertThat(store().pruneAudit(cutoff, 2)).isEqualTo(1);
    assertThat(store().pruneAudit(cutoff, 2)).isZero();
    assertThat(store().listAudit(new AuditQuery(null, null, 10))).hasSize(2);
    assertThat(store().pruneEvents(cutoff, 2)).isEqualTo(2);
    assertThat(store().pruneEvents(cutoff, 2)).isEqualTo(1);
    assertThat(store().pruneEvents(cutoff, 2)).isZero();
    // an event forgotten is new again; one still kept is not
    assertThat(store().receiveEvent(new NewEvent("tick", "test", "e0", null), clock().instant()))
        .extracting(EventIntake::duplicate)
        .isEqualTo(false);
    assertThat(store().receiveEvent(new NewEvent("tick", "test", "e4", null), clock().instant()))
        .extracting(EventIntake::duplicate)
        .isEqualTo(true);

    JobKey job = retained("alerted", "");
    RunRecord failed = ended(job, AttemptState.FAILED, 0);
    Webhook hook = new Webhook(URI.create("http://ops.example/"), Webhook.Format.JSON, Set.of());
    assertThat(store().raiseAlerts(clock().instant(), 10, List.of(hook))).isEqualTo(1);
    Instant much = clock().instant().plus(Duration.ofDays(400));
    // a delivery still being tried is kept whatever its age
    assertThat(store().pruneAlerts(much, 10)).isZero();
    AlertRecord alert = store().claimAlerts(clock().instant(), 10, Duration.ofMinutes(1)).get(0);
    store().alertDelivered(alert.id(), clock().instant());
    assertThat(store().pruneAlerts(clock().instant(), 10)).isZero();
    assertThat(store().pruneAlerts(much, 10)).isEqualTo(1);
    assertThat(store().listAlerts(new AlertQuery(null, failed.id(), null, null, 10))).isEmpty();
  }

  @Test
  default void theJobsToLookAtAreThoseWithNewRunsAndEveryJobPageByPage() {
    assertThat(store().lastRunId()).isZero();
    JobKey a = retained("a", "");
    JobKey b = retained("b", "");
    JobKey c = retained("c", "");
    ended(a, AttemptState.SUCCEEDED, 0);
    long seen = store().lastRunId();
    assertThat(seen).isPositive();
    assertThat(store().runsCreatedAfter(seen)).isEmpty();
    assertThat(store().runsCreatedAfter(0)).isEqualTo(java.util.Map.of(a, 1));
    ended(c, AttemptState.SUCCEEDED, 0);
    started(b);
    started(c);
    assertThat(store().runsCreatedAfter(seen)).isEqualTo(java.util.Map.of(b, 1, c, 2));

    assertThat(store().jobsAfter(null, 2)).containsExactly(a, b);
    assertThat(store().jobsAfter(b, 2)).containsExactly(c);
    assertThat(store().jobsAfter(c, 2)).isEmpty();
  }

  @Test
  default void aCutSaysHowManyRunsTheJobKeeps() {
    JobKey job = retained("few", "history: {successfulRuns: 3, failedRuns: 2}");
    assertThat(store().historyCut(job)).isEqualTo(new HistoryCut(0, 0, 5));
    assertThat(store().historyCut(job).nonePast()).isTrue();
    assertThat(store().historyCut(retained("dflt", "")).kept()).isEqualTo(300);
  }
}
