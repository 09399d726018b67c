package dev.kairos.core.run;

/** What started a run. */
public enum TriggerKind {
  /** A fire of the job's cron schedule. */
  SCHEDULE,
  /** An API or CLI call ({@code POST /jobs/{ns}/{name}/runs}). */
  MANUAL,
  /** An event the job subscribes to ({@code spec.triggers}, {@code POST /api/v1/events}). */
  EVENT
}
