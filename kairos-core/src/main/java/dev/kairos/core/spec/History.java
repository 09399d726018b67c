package dev.kairos.core.spec;

import dev.kairos.core.predict.DurationPredictor;
import dev.kairos.core.run.RunState;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * {@code spec.history}: how many of a job's ended runs are kept, the newest (by creation) of each
 * kind, with their attempts and logs; older ones are deleted by the server within about a minute of
 * the run that pushed them out. Kubernetes CronJob's {@code successfulJobsHistoryLimit} and {@code
 * failedJobsHistoryLimit}, with larger defaults: a run here is a few rows, not a pod, and the
 * history is what duration prediction learns from. The server's {@code --retention} deletes ended
 * runs older than it whatever this says; a run that has not ended is never deleted.
 *
 * @param successfulRuns runs that ended {@code SUCCEEDED} to keep: 0 to {@link Bounds#HISTORY_MAX};
 *     default {@value #DEFAULT_SUCCESSFUL_RUNS}
 * @param failedRuns runs that ended any other way ({@code FAILED}, {@code CANCELLED}, {@code
 *     SKIPPED}, {@code MISSED}: see {@link #FAILED}) to keep: 0 to {@link Bounds#HISTORY_MAX};
 *     default {@value #DEFAULT_FAILED_RUNS}
 */
public record History(int successfulRuns, int failedRuns) {
  /**
   * Succeeded runs kept by default: the window duration prediction learns from ({@link
   * DurationPredictor#HISTORY_RUNS}), so that the default costs the forecasts nothing.
   */
  public static final int DEFAULT_SUCCESSFUL_RUNS = DurationPredictor.HISTORY_RUNS;

  /** Runs that did not succeed kept by default: enough to see a pattern in the failures. */
  public static final int DEFAULT_FAILED_RUNS = 100;

  public static final History DEFAULT = new History(DEFAULT_SUCCESSFUL_RUNS, DEFAULT_FAILED_RUNS);

  /** The ended states that {@code successfulRuns} counts. */
  public static final Set<RunState> SUCCESSFUL =
      Collections.unmodifiableSet(EnumSet.of(RunState.SUCCEEDED));

  /**
   * The ended states that {@code failedRuns} counts: every end but success. A cancelled run, a fire
   * skipped by {@code concurrencyPolicy: Forbid} and a missed fire did not do the job's work
   * either, and counting them here bounds them too (a Forbid job whose runs outlast its schedule
   * records a SKIPPED run at every fire).
   */
  public static final Set<RunState> FAILED = failed();

  private static Set<RunState> failed() {
    Set<RunState> states = EnumSet.noneOf(RunState.class);
    for (RunState s : RunState.values()) {
      if (s.terminal() && !SUCCESSFUL.contains(s)) {
        states.add(s);
      }
    }
    return Collections.unmodifiableSet(states);
  }
}
