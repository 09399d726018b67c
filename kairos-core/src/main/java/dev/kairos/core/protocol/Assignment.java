package dev.kairos.core.protocol;

import dev.kairos.core.spec.TaskSpec;
import java.time.Instant;
import java.util.Map;

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
 * @param startDelayMillis how long after receiving it the worker starts it; 0 for at once. An
 *     attempt due a moment after the poll (a schedule's fire time) is handed out that early, so
 *     that it starts on the dot instead of after the claims of everything due at the same time
 * @param inputs the outputs of the task's upstream tasks that succeeded, by upstream task name (see
 *     {@link TaskOutputs}); empty for a root
 * @param fireTime the schedule fire the run is for, or null
 * @param event the event that started the run, as JSON ({@code {"type", "source", "id", "data"}}),
 *     or null: the task gets it as {@code $KAIROS_EVENT}
 * @param fence the claim's fencing token: heartbeats, logs and the completion of this attempt are
 *     accepted only with it, from the worker that claimed it (see {@link Lease})
 */
public record Assignment(
    long attemptId,
    long runId,
    String namespace,
    String job,
    int attempt,
    TaskSpec task,
    String idempotencyKey,
    Instant leaseExpiresAt,
    long startDelayMillis,
    Map<String, Map<String, String>> inputs,
    Instant fireTime,
    String event,
    long fence) {
  public Assignment {
    if (startDelayMillis < 0) {
      throw new IllegalArgumentException("startDelayMillis must be >= 0: " + startDelayMillis);
    }
    inputs = inputs == null ? Map.of() : Map.copyOf(inputs);
  }

  /** An assignment without inputs. */
  public Assignment(
      long attemptId,
      long runId,
      String namespace,
      String job,
      int attempt,
      TaskSpec task,
      String idempotencyKey,
      Instant leaseExpiresAt,
      long startDelayMillis) {
    this(
        attemptId,
        runId,
        namespace,
        job,
        attempt,
        task,
        idempotencyKey,
        leaseExpiresAt,
        startDelayMillis,
        Map.of(),
        null,
        null,
        0);
  }

  /** The same assignment with the outputs of its upstream tasks. */
  public Assignment withInputs(Map<String, Map<String, String>> upstreamOutputs) {
    return with(upstreamOutputs, event, fence);
  }

  /** The same assignment with the event that started its run. */
  public Assignment withEvent(String eventJson) {
    return with(inputs, eventJson, fence);
  }

  /** The same assignment under the claim with fencing token {@code newFence}. */
  public Assignment withFence(long newFence) {
    return with(inputs, event, newFence);
  }

  private Assignment with(
      Map<String, Map<String, String>> newInputs, String newEvent, long newFence) {
    return new Assignment(
        attemptId,
        runId,
        namespace,
        job,
        attempt,
        task,
        idempotencyKey,
        leaseExpiresAt,
        startDelayMillis,
        newInputs,
        fireTime,
        newEvent,
        newFence);
  }

  /** This attempt's lease: its id and its claim's fencing token. */
  public Lease lease() {
    return new Lease(attemptId, fence);
  }
}
