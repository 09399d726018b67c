package dev.kairos.store;

import java.time.Instant;
import java.util.List;

/** Decides what a due job's fires become; pure, called by the store inside its transaction. */
@FunctionalInterface
public interface TriggerPlanner {
  /**
   * @param job the due job (its {@code nextFireAt} is at or before {@code now})
   * @param activeRuns the job's PENDING and RUNNING runs, for the concurrency policy
   * @param now the current time
   */
  TriggerPlan plan(JobRecord job, List<RunRecord> activeRuns, Instant now);
}
