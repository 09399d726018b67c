package dev.kairos.core.protocol;

import dev.kairos.core.run.AttemptState;
import java.util.Map;

/**
 * A worker's report that an attempt ended.
 *
 * @param attemptId which attempt
 * @param outcome SUCCEEDED, FAILED, TIMED_OUT, OOM_KILLED or CANCELLED
 * @param exitCode the process exit code, or null when there is none
 * @param error a one-line reason for a failure, or null; a NUL in it is kept as U+FFFD
 * @param outputs what a succeeded task published for its downstream tasks (see {@link
 *     TaskOutputs}); empty when none
 * @param permanent a failure that no retry can mend: the task fails for good, whatever its retry
 *     policy allows
 */
public record Completion(
    long attemptId,
    AttemptState outcome,
    Integer exitCode,
    String error,
    Map<String, String> outputs,
    boolean permanent,
    long fence) {

  public Completion {
    error = LogChunk.withoutNul(error);
    outputs = outputs == null ? Map.of() : Map.copyOf(outputs);
    TaskOutputs.check(outputs);
  }

  /** A completion the retry policy applies to as usual. */
  public Completion(
      long attemptId,
      AttemptState outcome,
      Integer exitCode,
      String error,
      Map<String, String> outputs) {
    this(attemptId, outcome, exitCode, error, outputs, false, 0);
  }

  /** The same report under the claim with fencing token {@code newFence}. */
  public Completion fenced(long newFence) {
    return new Completion(attemptId, outcome, exitCode, error, outputs, permanent, newFence);
  }

  /** The lease it reports on. */
  public Lease lease() {
    return new Lease(attemptId, fence);
  }

  /**
   * A failure not worth retrying (the request itself is wrong, an HTTP 4xx): the task fails for
   * good, whatever its retry policy allows.
   */
  public static Completion permanentFailure(long attemptId, Integer code, String error) {
    return new Completion(attemptId, AttemptState.FAILED, code, error, Map.of(), true, 0);
  }

  /** A completion without outputs. */
  public Completion(long attemptId, AttemptState outcome, Integer exitCode, String error) {
    this(attemptId, outcome, exitCode, error, Map.of());
  }
}
