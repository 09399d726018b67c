package dev.kairos.store;

import dev.kairos.core.run.RunState;
import dev.kairos.core.spec.JobKey;
import java.util.List;

/**
 * A filter for listing runs, newest first.
 *
 * @param job only this job, or null for all
 * @param state only this state, or null for all
 * @param limit at most this many (1..1000)
 * @param beforeId only runs with a smaller id (paging), or null
 * @param namespaces only runs of jobs in these namespaces; empty for all
 */
public record RunQuery(
    JobKey job, RunState state, int limit, Long beforeId, List<String> namespaces) {
  public RunQuery {
    namespaces = namespaces == null ? List.of() : List.copyOf(namespaces);
  }

  /** Runs of every namespace. */
  public RunQuery(JobKey job, RunState state, int limit, Long beforeId) {
    this(job, state, limit, beforeId, List.of());
  }
}
