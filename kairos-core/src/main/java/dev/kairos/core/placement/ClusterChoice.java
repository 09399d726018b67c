package dev.kairos.core.placement;

import dev.kairos.core.spec.Placement.ClusterWeight;
import java.util.List;

/**
 * Chooses a run's cluster by weight, as a function of the run id alone: every replica, and every
 * later attempt of the run (retries, downstream tasks), makes the same choice without storing it.
 *
 * <p>The run id is spread over [0, 1) by the golden-ratio (Weyl) sequence {@code frac(id × φ)},
 * whose consecutive values fill the interval evenly: over any stretch of n consecutive ids each
 * cluster's share differs from its weight by O(log n / n), far closer than a random choice (whose
 * error shrinks like 1/√n). Ids a job gets need not be consecutive (other jobs take ids in
 * between); a subsequence with a regular stride is again such a sequence, and irregular gaps behave
 * like random ones.
 */
public final class ClusterChoice {
  /** 2^64 / φ, the golden ratio's fractional part as a fixed-point 64-bit fraction. */
  private static final long GOLDEN = 0x9E3779B97F4A7C15L;

  private ClusterChoice() {}

  /** The cluster for {@code runId}, or null when {@code clusters} is empty. */
  public static String pick(List<ClusterWeight> clusters, long runId) {
    if (clusters.isEmpty()) {
      return null;
    }
    long total = 0;
    for (ClusterWeight c : clusters) {
      total += c.weight();
    }
    // frac(id × φ) in [0, 1), as the top 53 bits of the 64-bit product
    double u = ((runId * GOLDEN) >>> 11) * 0x1.0p-53;
    double point = u * total;
    long cumulative = 0;
    for (ClusterWeight c : clusters) {
      cumulative += c.weight();
      if (point < cumulative) {
        return c.name();
      }
    }
    return clusters.get(clusters.size() - 1).name();
  }
}
