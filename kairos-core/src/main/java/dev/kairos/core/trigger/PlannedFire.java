package dev.kairos.core.trigger;

import java.time.Instant;

/**
 * What one schedule fire becomes.
 *
 * @param fireTime the fire's scheduled instant
 * @param outcome run it, skip it (Forbid) or record it as missed
 * @param reason why it was skipped or missed (null for RUN)
 */
public record PlannedFire(Instant fireTime, Outcome outcome, String reason) {
  /** The fate of a fire. */
  public enum Outcome {
    RUN,
    SKIP,
    MISS
  }
}
