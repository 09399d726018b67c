package dev.kairos.core.spec;

/**
 * What a schedule fire does while an earlier run of the same job is still active (Kubernetes
 * CronJob semantics). Applies to schedule fires only; API triggers always start a run.
 */
public enum ConcurrencyPolicy {
  /** Start the new run alongside the active ones. */
  Allow,
  /** Skip the fire; it is recorded as a SKIPPED run so the skip is visible. */
  Forbid,
  /** Cancel the active runs, then start the new one. */
  Replace
}
