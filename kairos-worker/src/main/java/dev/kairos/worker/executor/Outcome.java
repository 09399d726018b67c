package dev.kairos.worker.executor;

import java.util.Map;

/** How an execution ended: a closed set, handled by exhaustive switches. */
public sealed interface Outcome {
  /** Finished successfully, with what it published for its downstream tasks. */
  record Succeeded(Map<String, String> outputs) implements Outcome {
    public Succeeded {
      outputs = Map.copyOf(outputs);
    }

    /** Finished successfully, publishing nothing. */
    public Succeeded() {
      this(Map.of());
    }
  }

  /** Finished with a failure. */
  record Failed(Integer exitCode, String error) implements Outcome {}

  /**
   * Failed in a way a retry cannot mend (an HTTP 4xx: the request itself is wrong): not retried,
   * whatever the retry policy allows.
   */
  record Rejected(Integer code, String error) implements Outcome {}

  /** Killed after the task's timeout. */
  record TimedOut(String error) implements Outcome {}

  /** Killed by the operating system for using more memory than its limit. */
  record OomKilled(String error) implements Outcome {}

  /** Killed because the run was cancelled (or the lease was lost). */
  record Cancelled(String error) implements Outcome {}
}
