package dev.kairos.core.run;

/** What started a run. */
public enum TriggerKind {
  /** A fire of the job's cron schedule. */
  SCHEDULE,
  /** An API or CLI call ({@code POST /jobs/{ns}/{name}/runs}). */
  MANUAL
}
