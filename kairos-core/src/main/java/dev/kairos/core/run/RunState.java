package dev.kairos.core.run;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The life of a run. Allowed transitions are declared here, once, and checked on every change; the
 * store's SQL guards repeat them ({@code UPDATE ... WHERE state IN (...)}) and a CHECK constraint
 * keeps the column to these names.
 *
 * <pre>
 *   PENDING ──▶ RUNNING ──▶ SUCCEEDED | FAILED | CANCELLED
 *      └──────────────────▶ CANCELLED | FAILED
 *   SKIPPED, MISSED: terminal from creation (a fire that did not run, recorded so it is visible)
 * </pre>
 */
public enum RunState {
  /** Created; its first attempts are queued, none has started. */
  PENDING,
  /** At least one attempt has started. */
  RUNNING,
  /** Every task succeeded. */
  SUCCEEDED,
  /** A task failed and its retries are exhausted. */
  FAILED,
  /** Cancelled through the API or replaced by a newer fire (concurrencyPolicy Replace). */
  CANCELLED,
  /** A fire skipped because an earlier run was active (concurrencyPolicy Forbid). */
  SKIPPED,
  /** A fire that could not start within startingDeadlineSeconds (e.g. the server was down). */
  MISSED;

  private static final Map<RunState, Set<RunState>> NEXT =
      Map.of(
          PENDING, EnumSet.of(RUNNING, SUCCEEDED, FAILED, CANCELLED),
          RUNNING, EnumSet.of(SUCCEEDED, FAILED, CANCELLED),
          SUCCEEDED, EnumSet.noneOf(RunState.class),
          FAILED, EnumSet.noneOf(RunState.class),
          CANCELLED, EnumSet.noneOf(RunState.class),
          SKIPPED, EnumSet.noneOf(RunState.class),
          MISSED, EnumSet.noneOf(RunState.class));

  public boolean canBecome(RunState next) {
    return NEXT.get(this).contains(next);
  }

  /** Still doing (or about to do) work: counts for concurrencyPolicy. */
  public boolean active() {
    return this == PENDING || this == RUNNING;
  }

  public boolean terminal() {
    return !active();
  }

  /** States a run is in while active, for SQL {@code IN} lists. */
  public static final Set<RunState> ACTIVE = EnumSet.of(PENDING, RUNNING);
}
