package dev.kairos.store;

import java.time.Instant;
import java.util.List;

/** Decides what a due job's fires become; pure, called by the store inside its transaction. */
@FunctionalInterface
public interface TriggerPlanner {
  /**
   * @param job the due job (its {@code nextFireAt} is at or before {@code now}, or before {@code
   *     horizon} if it fires ahead)
   * @param activeRuns the job's PENDING and RUNNING runs, for the concurrency policy
   * @param now the current time
   * @param horizon the latest fire time to plan now for a job that fires ahead (at or after now)
   */
  TriggerPlan plan(JobRecord job, List<RunRecord> activeRuns, Instant now, Instant horizon);

  /**
   * Whether {@link #plan} looks at the job's active runs. When it does not (a job whose fires run
   * whatever is active), the store skips looking them up and passes an empty list.
   */
  default boolean needsActiveRuns(JobRecord job) {
    return true;
  }
}
