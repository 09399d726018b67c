package dev.kairos.store;

import dev.kairos.core.run.RunState;
import dev.kairos.core.run.TriggerKind;
import dev.kairos.core.spec.JobKey;
import java.time.Instant;

/**
 * A stored run.
 *
 * @param id unique, increasing
 * @param job the job
 * @param jobVersion the job version it runs
 * @param trigger what started it
 * @param fireTime the schedule fire it belongs to (null for manual runs); unique per job
 * @param idempotencyKey the client's key (null if none); unique per job
 * @param state current state
 * @param reason why it is in that state, when not obvious (skipped, missed, cancelled, failed)
 * @param createdAt when it was created
 * @param startedAt when its first attempt started, or null
 * @param finishedAt when it reached a terminal state, or null
 * @param eventId the stored event that started it (spec.triggers), or null
 * @param size the value of the job's {@code spec.sizeParam} in the run's parameters when it was
 *     created, or null (none declared, or the run has no such numeric parameter)
 */
public record RunRecord(
    long id,
    JobKey job,
    long jobVersion,
    TriggerKind trigger,
    Instant fireTime,
    String idempotencyKey,
    RunState state,
    String reason,
    Instant createdAt,
    Instant startedAt,
    Instant finishedAt,
    Long eventId,
    Double size) {

  /** {@link #size} for the duration predictor: NaN when there is none. */
  public double sizeOrNaN() {
    return size == null ? Double.NaN : size;
  }
}
