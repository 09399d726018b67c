package dev.kairos.core.run;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The life of an attempt (one try of one task).
 *
 * <pre>
 *   QUEUED ──claim──▶ RUNNING ──▶ SUCCEEDED | FAILED | TIMED_OUT | OOM_KILLED | CANCELLED | LOST
 *      │  ◀──released───┘   (a worker shutting down gives it back)
 *      └──────────────────────▶ CANCELLED
 * </pre>
 *
 * A failed, timed-out, OOM-killed or lost attempt may be followed by a new QUEUED attempt of the
 * same task (the retry), never by a state change of its own.
 */
public enum AttemptState {
  /** Waiting for a worker; may carry a not-before time (retry backoff). */
  QUEUED,
  /** Claimed by a worker, which holds a lease on it and renews it by heartbeat. */
  RUNNING,
  /** Finished with success (exit code 0). */
  SUCCEEDED,
  /** Finished with failure (non-zero exit, executor error). */
  FAILED,
  /** Killed by the worker after the task's timeout. */
  TIMED_OUT,
  /** Cancelled: the run was cancelled or replaced. */
  CANCELLED,
  /** Its lease expired: the worker died or lost contact. */
  LOST,
  /** Killed by the operating system for using more memory than its {@code limits.memory}. */
  OOM_KILLED;

  private static final Map<AttemptState, Set<AttemptState>> NEXT =
      Map.of(
          QUEUED, EnumSet.of(RUNNING, CANCELLED),
          // back to QUEUED: released by a worker that shuts down before finishing it
          RUNNING, EnumSet.of(QUEUED, SUCCEEDED, FAILED, TIMED_OUT, OOM_KILLED, CANCELLED, LOST),
          SUCCEEDED, EnumSet.noneOf(AttemptState.class),
          FAILED, EnumSet.noneOf(AttemptState.class),
          TIMED_OUT, EnumSet.noneOf(AttemptState.class),
          CANCELLED, EnumSet.noneOf(AttemptState.class),
          LOST, EnumSet.noneOf(AttemptState.class),
          OOM_KILLED, EnumSet.noneOf(AttemptState.class));

  public boolean canBecome(AttemptState next) {
    return NEXT.get(this).contains(next);
  }

  public boolean terminal() {
    return this != QUEUED && this != RUNNING;
  }

  /** An outcome that the retry policy may retry. */
  public boolean retryable() {
    return this == FAILED || this == TIMED_OUT || this == LOST || this == OOM_KILLED;
  }
}
