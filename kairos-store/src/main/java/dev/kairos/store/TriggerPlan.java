package dev.kairos.store;

import java.time.Instant;
import java.util.List;

/**
 * What to do with one job's due schedule fires, decided by a {@link TriggerPlanner} and carried out
 * by {@link Store#fireDueTriggers} in one transaction.
 *
 * @param runs runs to create (PENDING, SKIPPED or MISSED), each with its fire time
 * @param cancelRunIds active runs to cancel first (concurrencyPolicy Replace)
 * @param cancelReason the reason recorded on the cancelled runs
 * @param nextFireAt the job's next unhandled fire after this plan (null: none)
 * @param unrecordedMisses missed fires too many to record one by one (counted, not stored)
 */
public record TriggerPlan(
    List<NewRun> runs,
    List<Long> cancelRunIds,
    String cancelReason,
    Instant nextFireAt,
    long unrecordedMisses) {

  public TriggerPlan {
    runs = List.copyOf(runs);
    cancelRunIds = List.copyOf(cancelRunIds);
  }
}
