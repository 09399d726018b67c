package dev.kairos.store;

import dev.kairos.core.run.AttemptState;
import dev.kairos.core.spec.TaskSpec;
import java.time.Instant;
import java.util.Map;

/**
 * A stored attempt.
 *
 * @param id unique
 * @param runId its run
 * @param task the task spec with effective policies (a snapshot taken when the run was created)
 * @param attempt 1 for the first try
 * @param state current state
 * @param pool the pool it is queued in
 * @param priority higher first
 * @param notBefore not dispatched before this time (retry backoff); creation time otherwise
 * @param workerId the worker holding it (RUNNING) or that last held it
 * @param leaseExpiresAt when the current lease ends (RUNNING only)
 * @param cancelRequested the run was cancelled while this attempt was running
 * @param createdAt queued at
 * @param startedAt claimed at
 * @param finishedAt ended at
 * @param exitCode process exit code, when there is one
 * @param error one-line reason of a failure
 * @param outputs what it published for its downstream tasks (a succeeded attempt); empty if none
 * @param cleared a repair of its run cleared it: history only, its task's state no longer comes
 *     from it
 * @param cluster the cluster its run was given by weight ({@code placement.clusters}); null = any
 * @param strictCluster whether it waits for that cluster rather than fail over
 * @param selector the labels a worker must have to run it ({@code placement.labels})
 */
public record AttemptRecord(
    long id,
    long runId,
    TaskSpec task,
    int attempt,
    AttemptState state,
    String pool,
    int priority,
    Instant notBefore,
    String workerId,
    Instant leaseExpiresAt,
    boolean cancelRequested,
    Instant createdAt,
    Instant startedAt,
    Instant finishedAt,
    Integer exitCode,
    String error,
    Map<String, String> outputs,
    boolean cleared,
    String cluster,
    boolean strictCluster,
    Map<String, String> selector) {

  public AttemptRecord {
    outputs = outputs == null ? Map.of() : Map.copyOf(outputs);
    selector = selector == null ? Map.of() : Map.copyOf(selector);
  }
}
