package dev.kairos.core.predict;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.random.RandomGenerator;

/**
 * Walk-forward evaluation of duration predictions: for each run after a warm-up, predict it from
 * the runs before it and compare. Reports the mean absolute percentage error of p50 (MAPE) and how
 * often the run took no longer than p90 (coverage; 0.90 is right). Includes the two naive methods a
 * prediction must beat, and synthetic histories with known shapes.
 */
public final class Backtest {
  private Backtest() {}

  /** A method: (history, size of the next run) to a prediction, if it has one. */
  public interface Method extends BiFunction<List<Sample>, Double, Optional<Prediction>> {}

  /** How a method did on one history. */
  public record Score(double mape, double coverage, int predicted) {}

  /** The last run's duration, for p50 and p90 alike. */
  public static final Method LAST_VALUE =
      (h, size) ->
          h.isEmpty()
              ? Optional.empty()
              : Optional.of(
                  new Prediction(
                      h.get(h.size() - 1).millis(), h.get(h.size() - 1).millis(), h.size()));

  /** The mean, and the mean plus 1.2816 standard deviations (the normal 90th percentile). */
  public static final Method MEAN =
      (h, size) -> {
        if (h.size() < 2) {
          return Optional.empty();
        }
        double mean = h.stream().mapToDouble(Sample::millis).average().orElseThrow();
        double var =
            h.stream().mapToDouble(s -> (s.millis() - mean) * (s.millis() - mean)).sum()
                / (h.size() - 1);
        return Optional.of(new Prediction(mean, mean + 1.2816 * Math.sqrt(var), h.size()));
      };

  public static Method of(DurationPredictor predictor) {
    return (h, size) -> predictor.predict(h, size);
  }

  /** Scores a method on a history, predicting each run after the first {@code warmUp}. */
  public static Score score(Method method, List<Sample> history, int warmUp) {
    double errors = 0;
    int covered = 0;
    int n = 0;
    for (int i = warmUp; i < history.size(); i++) {
      Sample next = history.get(i);
      Optional<Prediction> p = method.apply(history.subList(0, i), next.size());
      if (p.isEmpty()) {
        continue;
      }
      errors += Math.abs(p.get().p50() - next.millis()) / next.millis();
      covered += next.millis() <= p.get().p90() ? 1 : 0;
      n++;
    }
    return n == 0
        ? new Score(Double.NaN, Double.NaN, 0)
        : new Score(errors / n, (double) covered / n, n);
  }

  /**
   * Runs of about a minute (log-normal, σ 0.25) where one in twenty is an outlier ten times as
   * long.
   */
  public static List<Sample> withOutliers(int n, RandomGenerator random) {
    List<Sample> runs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      double d = 60_000 * Math.exp(0.25 * random.nextGaussian());
      runs.add(Sample.of(random.nextDouble() < 0.05 ? d * 10 : d));
    }
    return runs;
  }

  /** Runs whose typical duration doubles halfway through (new code, more data), then drifts up. */
  public static List<Sample> withDrift(int n, RandomGenerator random) {
    List<Sample> runs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      double base = i < n / 2 ? 60_000 : 120_000 * (1 + 0.5 * (i - n / 2.0) / n);
      runs.add(Sample.of(base * Math.exp(0.2 * random.nextGaussian())));
    }
    return runs;
  }

  /** Runs that take 40 ms per row to the power 0.8, for 100 to 1,000,000 rows, with noise. */
  public static List<Sample> bySize(int n, RandomGenerator random) {
    List<Sample> runs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      double rows = Math.pow(10, 2 + 4 * random.nextDouble());
      runs.add(new Sample(40 * Math.pow(rows, 0.8) * Math.exp(0.2 * random.nextGaussian()), rows));
    }
    return runs;
  }
}
