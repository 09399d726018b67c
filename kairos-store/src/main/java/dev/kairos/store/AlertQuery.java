package dev.kairos.store;

import dev.kairos.core.spec.JobKey;

/**
 * A page of alerts, newest first.
 *
 * @param job only this job's; null for all
 * @param runId only this run's; null for all
 * @param state only in this state; null for all
 * @param beforeId only older than this id; null for the newest
 * @param limit at most this many, 1 to 1,000
 */
public record AlertQuery(
    JobKey job, Long runId, AlertRecord.State state, Long beforeId, int limit) {
  public AlertQuery {
    if (limit < 1 || limit > 1_000) {
      throw new IllegalArgumentException("limit must be 1 to 1000: " + limit);
    }
  }
}
