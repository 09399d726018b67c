package dev.kairos.store;

import dev.kairos.core.run.RunState;
import dev.kairos.core.run.TriggerKind;
import dev.kairos.core.spec.JobKey;
import java.time.Instant;

/**
 * A run to create. For a run in state PENDING the store also queues an attempt of each root task of
 * the job version's DAG; SKIPPED and MISSED runs are records only.
 *
 * @param job the job (its current version is used)
 * @param trigger what started it
 * @param fireTime schedule fire time, or null for manual runs
 * @param idempotencyKey client key or null
 * @param state PENDING, SKIPPED or MISSED
 * @param reason for SKIPPED/MISSED: why (e.g. "previous run 12 still active")
 * @param eventId the stored event that starts it, or null
 * @param size the value of the job's {@code spec.sizeParam} in the event's data, or null
 */
public record NewRun(
    JobKey job,
    TriggerKind trigger,
    Instant fireTime,
    String idempotencyKey,
    RunState state,
    String reason,
    Long eventId,
    Double size) {

  /** A run not started by an event. */
  public NewRun(
      JobKey job,
      TriggerKind trigger,
      Instant fireTime,
      String idempotencyKey,
      RunState state,
      String reason) {
    this(job, trigger, fireTime, idempotencyKey, state, reason, null, null);
  }

  public static NewRun manual(JobKey job, String idempotencyKey) {
    return new NewRun(job, TriggerKind.MANUAL, null, idempotencyKey, RunState.PENDING, null);
  }
}
