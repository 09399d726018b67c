package dev.kairos.core.protocol;

import dev.kairos.core.spec.TaskSpec;
import java.time.Instant;

/**
 * An attempt handed to a worker by a poll. Carries everything the worker needs to run it.
 *
 * @param attemptId the attempt, unique across the cluster
 * @param runId the run it belongs to
 * @param namespace job namespace
 * @param job job name
 * @param attempt 1 for the first try, 2 for the first retry, ...
 * @param task the task with effective policies (timeout, retry policy) already applied
 * @param idempotencyKey stable across retries of the same task in the same run
 * @param leaseExpiresAt the worker must heartbeat before this or the attempt is presumed lost
 */
public record Assignment(
    long attemptId,
    long runId,
    String namespace,
    String job,
    int attempt,
    TaskSpec task,
    String idempotencyKey,
    Instant leaseExpiresAt) {}
