package dev.kairos.bench;

/**
 * What to measure.
 *
 * @param store {@code sqlite} or {@code postgres}
 * @param pgUrl PostgreSQL JDBC URL (a fresh schema is created in it and dropped afterwards)
 * @param runs how many no-op runs to enqueue and drain
 * @param slots the local worker's slots
 * @param latencyRuns how many runs the start-latency phase submits at a steady rate
 * @param latencyRate the steady rate of that phase, runs per second
 */
public record BenchOptions(
    String store, String pgUrl, int runs, int slots, int latencyRuns, int latencyRate) {

  /**
   * Tasks each scheduler drains before the measured drain, unmeasured: a tenth of N, at most
   * 10,000. A JVM spends its first seconds compiling the code it runs hot (on 2 cores, the compiler
   * threads take CPU from the drain and from PostgreSQL); a scheduler runs for days, so the figure
   * that matters is the warm one. Kairos and every peer get the same warm-up.
   */
  public int warmupRuns() {
    return Math.min(runs / 10, 10_000);
  }
}
