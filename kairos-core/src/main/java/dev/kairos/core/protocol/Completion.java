package dev.kairos.core.protocol;

import dev.kairos.core.run.AttemptState;

/**
 * A worker's report that an attempt ended.
 *
 * @param attemptId which attempt
 * @param outcome SUCCEEDED, FAILED, TIMED_OUT or CANCELLED
 * @param exitCode the process exit code, or null when there is none
 * @param error a one-line reason for a failure, or null
 */
public record Completion(long attemptId, AttemptState outcome, Integer exitCode, String error) {}
