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
  Replace;

  /**
   * Whether what a fire becomes depends on the runs active at its time. When it does not (Allow), a
   * fire can be planned ahead of its time and the active runs need not be looked up.
   */
  public boolean dependsOnActiveRuns() {
    return this != Allow;
  }
}
