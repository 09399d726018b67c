package dev.kairos.store;

import dev.kairos.core.spec.JobKey;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * What the store keeps and for how long: the part of the {@link Store} that the server's retention
 * duty uses. Ended runs are deleted, with their attempts and logs, when they are past their job's
 * {@code spec.history} limits or ended longer ago than the server's retention; events, alert
 * deliveries and audit entries when they are older than their cutoff. Nothing here deletes a run
 * that has not ended, and every delete is done in small transactions, so that pruning never holds
 * many rows at once against the claims and completions of the hot path.
 *
 * <p>Finding what to delete and deleting it are separate calls, so that the caller can delete one
 * run alone when a batch fails (see the server's {@code Isolation}).
 */
public interface RetentionStore {

  /** The highest run id so far (0 when there is none): where {@link #runsCreatedAfter} starts. */
  long lastRunId();

  /**
   * How many runs each job has with an id above {@code runId}: the runs created since a previous
   * call of {@link #lastRunId}. Only a job with new runs can have gone past its history.
   */
  Map<JobKey, Integer> runsCreatedAfter(long runId);

  /**
   * Up to {@code limit} jobs after {@code after} (null: from the first), by namespace and name: a
   * sweep over every job a page at a time.
   */
  List<JobKey> jobsAfter(JobKey after, int limit);

  /**
   * Where the job's {@code spec.history} cuts its runs now: the runs older than its newest {@code
   * successfulRuns} that succeeded, and older than its newest {@code failedRuns} that ended any
   * other way, are past it. {@link HistoryCut#NONE} when there is no such job.
   */
  HistoryCut historyCut(JobKey job);

  /**
   * Up to {@code limit} of the job's ended runs past {@code cut}, oldest first. Runs that still
   * have an attempt queued or running (a cancelled run whose attempts are being killed) or an alert
   * not raised yet are left for later.
   */
  List<Long> runsPastHistory(JobKey job, HistoryCut cut, int limit);

  /** {@link #runsPastHistory(JobKey, HistoryCut, int)} at the job's {@link #historyCut} now. */
  default List<Long> runsPastHistory(JobKey job, int limit) {
    return runsPastHistory(job, historyCut(job), limit);
  }

  /**
   * Up to {@code limit} runs that ended before {@code cutoff}, oldest first, with the same runs
   * left for later as {@link #runsPastHistory}.
   */
  List<Long> runsEndedBefore(Instant cutoff, int limit);

  /**
   * Deletes those of {@code runIds} that ended before {@code endedBefore} and have nothing queued,
   * running or waiting to be alerted, with their attempts, logs and task marks, as many runs a
   * transaction as fit in {@code rowsPerTransaction} rows. A run of more rows than that has its
   * logs deleted first, that many a transaction, and then goes in a transaction of its own. Runs
   * another transaction holds are skipped (PostgreSQL), not waited for. Returns what it deleted.
   */
  Pruned deleteRuns(Collection<Long> runIds, Instant endedBefore, int rowsPerTransaction);

  /** Deletes up to {@code limit} events received before {@code cutoff}; returns how many. */
  int pruneEvents(Instant cutoff, int limit);

  /**
   * Deletes up to {@code limit} alert deliveries created before {@code cutoff} that are over
   * (delivered, or failed for good); returns how many.
   */
  int pruneAlerts(Instant cutoff, int limit);

  /** Deletes up to {@code limit} audit entries older than {@code cutoff}; returns how many. */
  int pruneAudit(Instant cutoff, int limit);
}
