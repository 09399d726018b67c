package dev.kairos.core.protocol;

import dev.kairos.core.run.AttemptState;
import java.util.Map;

/**
 * A worker's report that an attempt ended.
 *
 * @param attemptId which attempt
 * @param outcome SUCCEEDED, FAILED, TIMED_OUT, OOM_KILLED or CANCELLED
 * @param exitCode the process exit code, or null when there is none
 * @param error a one-line reason for a failure, or null
 * @param outputs what a succeeded task published for its downstream tasks (see {@link
 *     TaskOutputs}); empty when none
 */
public record Completion(
    long attemptId,
    AttemptState outcome,
    Integer exitCode,
    String error,
    Map<String, String> outputs) {

  public Completion {
    outputs = outputs == null ? Map.of() : Map.copyOf(outputs);
    TaskOutputs.check(outputs);
  }

  /** A completion without outputs. */
  public Completion(long attemptId, AttemptState outcome, Integer exitCode, String error) {
    this(attemptId, outcome, exitCode, error, Map.of());
  }
}
