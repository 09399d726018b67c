package dev.kairos.server.retention;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kairos.core.protocol.Assignment;
import dev.kairos.core.protocol.Completion;
import dev.kairos.core.protocol.LogChunk;
import dev.kairos.core.run.AttemptState;
import dev.kairos.core.spec.JobKey;
import dev.kairos.core.spec.JobManifest;
import dev.kairos.core.spec.JobManifestCodec;
import dev.kairos.server.isolation.Isolation;
import dev.kairos.store.AuditEntry;
import dev.kairos.store.AuditQuery;
import dev.kairos.store.Claim;
import dev.kairos.store.NewEvent;
import dev.kairos.store.NewRun;
import dev.kairos.store.RunQuery;
import dev.kairos.store.RunRecord;
import dev.kairos.store.Store;
import dev.kairos.store.StoreConfig;
import dev.kairos.store.StoreFactory;
import dev.kairos.store.testing.SettableClock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The retention duty on a real store (SQLite), driven round by round with a settable clock: what it
 * deletes, what it keeps, how it goes through a backlog, and what it counts.
 */
class RetentionPrunerTest {
  static final Instant T0 = Instant.parse("2026-12-03T00:00:00Z");
  static final Duration RETENTION = Duration.ofDays(30);
  static final Duration MINUTE = Duration.ofMinutes(1);

  @TempDir Path dir;
  final SettableClock clock = new SettableClock(T0);
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  Store store;

  @BeforeEach
  void open() {
    store = StoreFactory.open(StoreConfig.sqlite(dir));
  }

  @AfterEach
  void close() {
    store.close();
  }

  RetentionPruner pruner(int batch) {
    return pruner(batch, RetentionPruner.SWEEP_PAGE);
  }

  RetentionPruner pruner(int batch, int sweepPage) {
    return new RetentionPruner(
        store,
        clock,
        RETENTION,
        Duration.ofHours(24),
        MINUTE,
        batch,
        sweepPage,
        new Isolation(registry),
        registry);
  }

  JobKey job(String name, String spec) {
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
                .formatted(name, spec));
    store.applyJob(m, JobManifestCodec.toJson(m), null, clock.instant());
    return m.key();
  }

  List<Assignment> claimAll() {
    return store.claimAttempts(
        Claim.any("default", "w", 1_000), clock.instant(), Duration.ZERO, Duration.ofHours(1));
  }

  void complete(List<Assignment> claimed) {
    List<Completion> done = new ArrayList<>();
    for (Assignment a : claimed) {
      done.add(new Completion(a.attemptId(), AttemptState.SUCCEEDED, 0, null).fenced(a.fence()));
    }
    store.completeAttempts("w", done, clock.instant(), RandomGenerator.of("L64X128MixRandom"));
  }

  /** {@code n} runs of {@code job} that ran and succeeded, each with a log chunk. */
  List<RunRecord> succeeded(JobKey job, int n) {
    List<RunRecord> runs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      runs.add(store.createRun(NewRun.manual(job, null), clock.instant()));
    }
    List<Assignment> claimed = claimAll();
    for (Assignment a : claimed) {
      store.appendLogs(
          List.of(
              new LogChunk(a.attemptId(), 0, "stdout", clock.millis(), "hi").fenced(a.fence())));
    }
    clock.advance(Duration.ofSeconds(1));
    complete(claimed);
    clock.advance(Duration.ofSeconds(1));
    return runs;
  }

  List<Long> runIds(JobKey job) {
    return store.listRuns(new RunQuery(job, null, 1_000, null)).stream()
        .map(RunRecord::id)
        .sorted()
        .toList();
  }

  double deleted(String table) {
    Counter c = registry.find("kairos.retention.deleted").tag("table", table).counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void aJobKeepsItsHistoryAsRunsEndRoundAfterRound() throws Exception {
    JobKey job = job("kept", "history: {successfulRuns: 2, failedRuns: 0}");
    JobKey other = job("other", "");
    RetentionPruner pruner = pruner(500);
    pruner.runRound();
    List<RunRecord> first = succeeded(job, 3);
    succeeded(other, 3);
    // started before a round, ended after it: its job is looked at again next round
    RunRecord late = store.createRun(NewRun.manual(job, null), clock.instant());
    List<Assignment> lateAttempt = claimAll();
    clock.advance(MINUTE);

    assertThat(pruner.runRound()).isEqualTo(MINUTE.toMillis());
    assertThat(runIds(job)).containsExactly(first.get(1).id(), first.get(2).id(), late.id());
    assertThat(store.listRuns(new RunQuery(other, null, 100, null))).hasSize(3);

    complete(lateAttempt);
    clock.advance(MINUTE);
    pruner.runRound();
    assertThat(runIds(job)).containsExactly(first.get(2).id(), late.id());
    assertThat(deleted("runs")).isEqualTo(2);
    assertThat(deleted("attempts")).isEqualTo(2);
    assertThat(deleted("logs")).isEqualTo(2);
  }

  @Test
  void runsThatEndedBeforeTheServerStartedAreFoundByTheSweep() throws Exception {
    JobKey job = job("before", "history: {successfulRuns: 1, failedRuns: 0}");
    List<RunRecord> runs = succeeded(job, 3);

    pruner(500).runRound();

    assertThat(runIds(job)).containsExactly(runs.get(2).id());
  }

  @Test
  void runsAuditEntriesAndEventsPastTheirKeepGo() throws Exception {
    JobKey job = job("old", "");
    RunRecord old = succeeded(job, 1).get(0);
    store.recordAudit(
        new AuditEntry(0, clock.instant(), "ci", "PUT", "/j", "/j", null, 200, "::1"));
    store.receiveEvent(new NewEvent("tick", "test", "e1", null), clock.instant());
    clock.advance(Duration.ofDays(2));
    store.receiveEvent(new NewEvent("tick", "test", "e2", null), clock.instant());
    RetentionPruner pruner = pruner(500);

    pruner.runRound();
    // the first event is past the dedup window; the run and the audit entry are within retention
    assertThat(deleted("events")).isEqualTo(1);
    assertThat(store.findRun(old.id())).isPresent();

    clock.advance(RETENTION);
    RunRecord recent = succeeded(job, 1).get(0);
    pruner.runRound();

    assertThat(store.findRun(old.id())).isEmpty();
    assertThat(store.attemptsOf(old.id())).isEmpty();
    assertThat(store.logsOfRun(old.id())).isEmpty();
    assertThat(store.findRun(recent.id())).isPresent();
    assertThat(store.listAudit(new AuditQuery(null, null, 10))).isEmpty();
    assertThat(deleted("runs")).isEqualTo(1);
    assertThat(deleted("audit")).isEqualTo(1);
    assertThat(deleted("events")).isEqualTo(2);
  }

  @Test
  void aBacklogIsDeletedABatchAtATimeWithoutWaitingForTheInterval() throws Exception {
    JobKey job = job("busy", "history: {successfulRuns: 0, failedRuns: 0}");
    succeeded(job, 7);
    RetentionPruner pruner = pruner(3);
    // the first round only starts the watermark and sweeps: 3 of 7 runs, more to come at once
    assertThat(pruner.runRound()).isLessThan(MINUTE.toMillis());
    assertThat(runIds(job)).hasSize(4);
    assertThat(pruner.runRound()).isLessThan(MINUTE.toMillis());
    assertThat(runIds(job)).hasSize(1);
    assertThat(pruner.runRound()).isEqualTo(MINUTE.toMillis());
    assertThat(runIds(job)).isEmpty();
  }

  @Test
  void aJobIsCutAgainOnceATenthOfWhatItKeepsHasBeenCreated() throws Exception {
    JobKey job = job("slow", "history: {successfulRuns: 20, failedRuns: 0}");
    // no sweep: what makes the job due is its new runs alone
    RetentionPruner pruner = pruner(500, 0);
    succeeded(job, 20);
    pruner.runRound();
    succeeded(job, 1);
    clock.advance(MINUTE);
    pruner.runRound();
    // not cut before: due at its first new run
    assertThat(runIds(job)).hasSize(20);

    succeeded(job, 1);
    clock.advance(MINUTE);
    pruner.runRound();
    // one more than it keeps, within the slack of a tenth (2)
    assertThat(runIds(job)).hasSize(21);

    List<RunRecord> last = succeeded(job, 1);
    clock.advance(MINUTE);
    pruner.runRound();
    assertThat(runIds(job)).hasSize(20).endsWith(last.get(0).id());
  }
}
