package dev.kairos.store;

/**
 * What recording a batch of completions did.
 *
 * @param accepted completions recorded (the others were for attempts the worker no longer held)
 * @param queued attempts it queued that are due at once (a DAG's next tasks, retries without
 *     backoff, runs released from maxActiveRuns): waiting workers are worth waking for these only
 */
public record Completed(int accepted, int queued) {}
