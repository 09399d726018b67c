package dev.kairos.core.predict;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Predicts how long the next run of a task takes (p50 and p90) from its past runs, oldest first.
 *
 * <p>The method, and why:
 *
 * <ul>
 *   <li><b>Log scale.</b> Durations are positive and skewed (a task that usually takes 1 minute
 *       sometimes takes 5, never minus 3): their logarithm is close to symmetric, so quantiles and
 *       regressions are done on {@code ln(duration)}.
 *   <li><b>Quantiles, not means.</b> p50 and p90 are weighted quantiles of the history, so a few
 *       outliers (a run that waited on a lock for an hour) move them little, where they drag a mean
 *       and blow up a standard deviation.
 *   <li><b>Recent runs weigh more.</b> The weight of a run halves every {@code halfLife} runs back:
 *       after a change (new code, more data) the prediction follows within a few half-lives, while
 *       a single odd run among many recent ones still counts for little.
 *   <li><b>Size.</b> When runs declare a numeric parameter (input rows, bytes) and at least {@value
 *       #MIN_SIZED} of them have one that varies, the duration is modelled as {@code ln d = a + b
 *       ln size + e}: a power law, which covers linear ({@code b = 1}), sub-linear and n·log n
 *       work. The fit is a weighted least squares that drops the points whose residual is beyond 3
 *       robust deviations and fits again; p50 and p90 are then the fitted line plus the weighted
 *       quantiles of the residuals.
 * </ul>
 *
 * With fewer than {@value #MIN_SAMPLES} runs there is no prediction.
 */
public final class DurationPredictor {
  /** How many of a job's latest runs its predictions learn from. */
  public static final int HISTORY_RUNS = 200;

  static final int MIN_SAMPLES = 3;
  static final int MIN_SIZED = 8;

  private final double halfLife;

  /**
   * @param halfLife after this many newer runs, a run's weight is halved; 20 by default
   */
  public DurationPredictor(double halfLife) {
    if (!(halfLife > 0)) {
      throw new IllegalArgumentException("halfLife must be positive: " + halfLife);
    }
    this.halfLife = halfLife;
  }

  public static DurationPredictor defaults() {
    return new DurationPredictor(20);
  }

  /** The prediction for a run of {@code size} (NaN: none declared) from {@code history}. */
  public Optional<Prediction> predict(List<Sample> history, double size) {
    int n = history.size();
    if (n < MIN_SAMPLES) {
      return Optional.empty();
    }
    double[] logs = new double[n];
    double[] weights = new double[n];
    for (int i = 0; i < n; i++) {
      logs[i] = Math.log(history.get(i).millis());
      weights[i] = Math.pow(0.5, (n - 1 - i) / halfLife);
    }
    if (size > 0 && !Double.isInfinite(size)) {
      Optional<Prediction> sized = bySize(history, logs, weights, Math.log(size));
      if (sized.isPresent()) {
        return sized;
      }
    }
    return Optional.of(
        new Prediction(
            Math.exp(quantile(logs, weights, 0.5)), Math.exp(quantile(logs, weights, 0.9)), n));
  }

  private Optional<Prediction> bySize(
      List<Sample> history, double[] logs, double[] weights, double logSize) {
    int n = history.size();
    double[] x = new double[n];
    boolean[] use = new boolean[n];
    int sized = 0;
    for (int i = 0; i < n; i++) {
      if (history.get(i).sized()) {
        x[i] = Math.log(history.get(i).size());
        use[i] = true;
        sized++;
      }
    }
    if (sized < MIN_SIZED) {
      return Optional.empty();
    }
    double[] line = fit(x, logs, weights, use);
    if (line == null) {
      return Optional.empty();
    }
    // drop what lies beyond 3 robust deviations of the first fit, then fit again
    double[] residuals = residuals(x, logs, use, line);
    double mad = quantile(abs(residuals), weightsOf(weights, use), 0.5) * 1.4826;
    if (mad > 0) {
      boolean[] inliers = use.clone();
      for (int i = 0, j = 0; i < n; i++) {
        if (use[i]) {
          inliers[i] = Math.abs(residuals[j++]) <= 3 * mad;
        }
      }
      double[] again = fit(x, logs, weights, inliers);
      line = again != null ? again : line;
    }
    // the spread around the line, outliers included: quantiles are not moved much by them
    residuals = residuals(x, logs, use, line);
    double[] w = weightsOf(weights, use);
    double centre = line[0] + line[1] * logSize;
    return Optional.of(
        new Prediction(
            Math.exp(centre + quantile(residuals, w, 0.5)),
            Math.exp(centre + quantile(residuals, w, 0.9)),
            n));
  }

  /** Weighted least squares of y on x over the used points: {intercept, slope}, or null. */
  private static double[] fit(double[] x, double[] y, double[] w, boolean[] use) {
    double sw = 0, sx = 0, sy = 0;
    for (int i = 0; i < x.length; i++) {
      if (use[i]) {
        sw += w[i];
        sx += w[i] * x[i];
        sy += w[i] * y[i];
      }
    }
    if (sw == 0) {
      return null;
    }
    double mx = sx / sw, my = sy / sw, sxx = 0, sxy = 0;
    for (int i = 0; i < x.length; i++) {
      if (use[i]) {
        sxx += w[i] * (x[i] - mx) * (x[i] - mx);
        sxy += w[i] * (x[i] - mx) * (y[i] - my);
      }
    }
    // sizes that barely vary say nothing about how duration grows with size
    if (sxx / sw < 1e-6) {
      return null;
    }
    double slope = sxy / sxx;
    return new double[] {my - slope * mx, slope};
  }

  private static double[] residuals(double[] x, double[] y, boolean[] use, double[] line) {
    return java.util.stream.IntStream.range(0, x.length)
        .filter(i -> use[i])
        .mapToDouble(i -> y[i] - (line[0] + line[1] * x[i]))
        .toArray();
  }

  private static double[] weightsOf(double[] w, boolean[] use) {
    return java.util.stream.IntStream.range(0, w.length)
        .filter(i -> use[i])
        .mapToDouble(i -> w[i])
        .toArray();
  }

  private static double[] abs(double[] v) {
    return Arrays.stream(v).map(Math::abs).toArray();
  }

  /** The weighted {@code q}-quantile: the smallest value with at least q of the weight up to it. */
  static double quantile(double[] values, double[] weights, double q) {
    int n = values.length;
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(values[a], values[b]));
    double target = q * Arrays.stream(weights).sum();
    double seen = 0;
    for (int k = 0; k < n; k++) {
      seen += weights[order[k]];
      if (seen >= target) {
        return values[order[k]];
      }
    }
    return values[order[n - 1]];
  }
}
