package dev.kairos.core.trigger;

import java.time.Instant;
import java.util.List;

/**
 * The decision for one job's due fires.
 *
 * @param fires recorded fires in time order (at most {@link FirePlanner#MAX_RECORDED_MISSES} misses
 *     among them)
 * @param cancelActive the job's active runs are to be cancelled (concurrencyPolicy Replace)
 * @param nextFireAt the first fire not planned: strictly after now, or after the horizon when fires
 *     ahead were planned (null: the schedule has no more fires)
 * @param unrecordedMisses further missed fires, counted but not recorded one by one
 */
public record FirePlan(
    List<PlannedFire> fires, boolean cancelActive, Instant nextFireAt, long unrecordedMisses) {
  public FirePlan {
    fires = List.copyOf(fires);
  }
}
