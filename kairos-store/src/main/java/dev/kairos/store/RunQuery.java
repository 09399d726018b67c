package dev.kairos.store;

import dev.kairos.core.run.RunState;
import dev.kairos.core.spec.JobKey;

/**
 * A filter for listing runs, newest first.
 *
 * @param job only this job, or null for all
 * @param state only this state, or null for all
 * @param limit at most this many (1..1000)
 * @param beforeId only runs with a smaller id (paging), or null
 */
public record RunQuery(JobKey job, RunState state, int limit, Long beforeId) {}
