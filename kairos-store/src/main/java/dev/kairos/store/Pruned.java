package dev.kairos.store;

/**
 * What {@link RetentionStore#deleteRuns} deleted.
 *
 * @param runs runs deleted
 * @param attempts their attempts
 * @param logs their log chunks
 * @param largestTransaction the most rows one of its transactions deleted
 */
public record Pruned(int runs, int attempts, int logs, int largestTransaction) {
  public static final Pruned NONE = new Pruned(0, 0, 0, 0);

  /** Both, as if deleted by one call. */
  public Pruned plus(Pruned other) {
    return new Pruned(
        runs + other.runs,
        attempts + other.attempts,
        logs + other.logs,
        Math.max(largestTransaction, other.largestTransaction));
  }
}
