package dev.kairos.bench;

import java.util.Locale;

/**
 * The figures of one benchmark run.
 *
 * @param store which store
 * @param worker which worker drained: the server's local worker, or a worker process over HTTP
 * @param runs runs drained
 * @param enqueuePerSecond runs created per second (bulk, 1,000 per transaction)
 * @param executedPerSecond runs taken from queued to SUCCEEDED per second by one server and its
 *     local worker
 * @param latencyRate the steady submission rate of the latency phase
 * @param startP50Millis median time from run creation to attempt start at that rate
 * @param startP99Millis 99th percentile of the same
 */
public record BenchReport(
    String store,
    String worker,
    int runs,
    double enqueuePerSecond,
    double executedPerSecond,
    int latencyRate,
    double startP50Millis,
    double startP99Millis) {

  public String format() {
    return String.format(
        Locale.ROOT,
        "%-8s %-22s runs=%,d  enqueue=%,.0f/s  executed=%,.0f/s  start latency at %,d/s:"
            + " p50=%.1f ms p99=%.1f ms",
        store,
        worker,
        runs,
        enqueuePerSecond,
        executedPerSecond,
        latencyRate,
        startP50Millis,
        startP99Millis);
  }
}
