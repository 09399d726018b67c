package dev.kairos.store;

import dev.kairos.core.run.AttemptState;
import java.time.Duration;

/**
 * An attempt that a batch of completions (or the lease reaper) ended: what metrics count and time.
 *
 * @param namespace the job's namespace
 * @param job the job's name
 * @param task the task's name
 * @param state the state it ended in
 * @param ran from its start to its end (zero if it never started)
 */
public record AttemptEnd(
    String namespace, String job, String task, AttemptState state, Duration ran) {}
