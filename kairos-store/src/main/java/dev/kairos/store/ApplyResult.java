package dev.kairos.store;

/**
 * The outcome of applying a manifest.
 *
 * @param job the job as stored afterwards
 * @param change CREATED, UPDATED (new version) or UNCHANGED (same manifest, no new version)
 */
public record ApplyResult(JobRecord job, Change change) {
  public enum Change {
    CREATED,
    UPDATED,
    UNCHANGED
  }
}
