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
    String store, String pgUrl, int runs, int slots, int latencyRuns, int latencyRate) {}
