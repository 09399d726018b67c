package dev.kairos.worker.executor;

/** How an execution ended: a closed set, handled by exhaustive switches. */
public sealed interface Outcome {
  /** Finished successfully. */
  record Succeeded() implements Outcome {}

  /** Finished with a failure. */
  record Failed(Integer exitCode, String error) implements Outcome {}

  /** Killed after the task's timeout. */
  record TimedOut(String error) implements Outcome {}

  /** Killed because the run was cancelled (or the lease was lost). */
  record Cancelled(String error) implements Outcome {}
}
