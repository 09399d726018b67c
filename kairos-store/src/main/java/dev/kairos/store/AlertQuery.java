package dev.kairos.store;

import dev.kairos.core.spec.JobKey;
import java.util.List;

/**
 * A page of alerts, newest first.
 *
 * @param job only this job's; null for all
 * @param runId only this run's; null for all
 * @param state only in this state; null for all
 * @param beforeId only older than this id; null for the newest
 * @param limit at most this many, 1 to 1,000
 * @param namespaces only alerts of jobs in these namespaces; empty for all
 */
public record AlertQuery(
    JobKey job,
    Long runId,
    AlertRecord.State state,
    Long beforeId,
    int limit,
    List<String> namespaces) {
  /** Alerts of every namespace. */
  public AlertQuery(JobKey job, Long runId, AlertRecord.State state, Long beforeId, int limit) {
    this(job, runId, state, beforeId, limit, List.of());
  }

  public AlertQuery {
    namespaces = namespaces == null ? List.of() : List.copyOf(namespaces);
    if (limit < 1 || limit > 1_000) {
      throw new IllegalArgumentException("limit must be 1 to 1000: " + limit);
    }
  }
}
