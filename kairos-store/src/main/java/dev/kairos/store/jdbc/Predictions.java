package dev.kairos.store.jdbc;

import dev.kairos.core.predict.DurationPredictor;
import dev.kairos.core.predict.Prediction;
import dev.kairos.core.predict.Sample;
import dev.kairos.core.spec.JobKey;
import dev.kairos.store.RunRecord;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Predicted task durations for dispatch order ({@code order: shortest-predicted-first}): each job's
 * history of task durations is read once per {@link #TTL_MILLIS} and kept, so that queueing an
 * attempt costs a lookup, not a scan of the job's last runs.
 */
final class Predictions {
  static final long TTL_MILLIS = 30_000;

  /** Jobs whose history is kept at once; past it the cache starts over. */
  static final int MAX_JOBS = 1_000;

  private static final DurationPredictor PREDICTOR = DurationPredictor.defaults();

  /**
   * A job's history as read, and the p50 of each task for runs without a size, worked out once per
   * read (a DAG's fan-out queues thousands of attempts of one job at once).
   */
  private record History(
      Map<String, List<Sample>> byTask, long readAt, Map<String, Double> unsized) {}

  private final Map<JobKey, History> cache = new ConcurrentHashMap<>();

  /** The p50 of {@code task} in a run like {@code run}, in milliseconds; NaN when it has none. */
  double p50(Connection c, RunRecord run, String task, Instant now) throws SQLException {
    long t = now.toEpochMilli();
    History h = cache.get(run.job());
    if (h == null || t - h.readAt() >= TTL_MILLIS || t < h.readAt()) {
      if (cache.size() >= MAX_JOBS) {
        cache.clear();
      }
      h =
          new History(
              RunQueries.taskDurations(
                  c, run.job(), Long.MAX_VALUE, DurationPredictor.HISTORY_RUNS),
              t,
              new ConcurrentHashMap<>());
      cache.put(run.job(), h);
    }
    List<Sample> samples = h.byTask().get(task);
    if (samples == null) {
      return Double.NaN;
    }
    if (run.size() == null) {
      return h.unsized().computeIfAbsent(task, k -> p50(samples, Double.NaN));
    }
    return p50(samples, run.size());
  }

  private static double p50(List<Sample> samples, double size) {
    return PREDICTOR.predict(samples, size).map(Prediction::p50).orElse(Double.NaN);
  }
}
