package dev.kairos.bench;

import dev.kairos.core.predict.Backtest;
import dev.kairos.core.predict.DurationPredictor;
import dev.kairos.core.predict.Sample;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import java.util.random.RandomGenerator;

/**
 * {@code kairos bench --scenario predict}: duration prediction against the naive methods on
 * synthetic histories of known shape (outliers, drift, duration by input size), walk-forward: each
 * run after the first 20 predicted from the runs before it. Reports the error of p50 (MAPE, lower
 * is better) and how many runs took no longer than p90 (coverage, 90% is right). No store: the
 * method is pure (kairos-core).
 */
public final class PredictBench {
  private static final int RUNS = 2_000;
  private static final int WARM_UP = 20;
  private static final int SEEDS = 5;

  private final PrintWriter out;

  public PredictBench(PrintWriter out) {
    this.out = out;
  }

  /** One history shape's scores, averaged over the seeds, by method. */
  public record Row(String shape, Map<String, Backtest.Score> byMethod) {}

  public List<Row> run() {
    Map<String, BiFunction<Integer, RandomGenerator, List<Sample>>> shapes = new LinkedHashMap<>();
    shapes.put("outliers (1 in 20 runs 10x)", Backtest::withOutliers);
    shapes.put("drift (2x at half, then +50%)", Backtest::withDrift);
    shapes.put("by size (40 ms x rows^0.8)", Backtest::bySize);
    Map<String, Backtest.Method> methods = new LinkedHashMap<>();
    methods.put("kairos", Backtest.of(DurationPredictor.defaults()));
    methods.put("last value", Backtest.LAST_VALUE);
    methods.put("mean", Backtest.MEAN);
    List<Row> rows = new java.util.ArrayList<>();
    for (var shape : shapes.entrySet()) {
      Map<String, Backtest.Score> scores = new LinkedHashMap<>();
      for (var method : methods.entrySet()) {
        double mape = 0, coverage = 0;
        int predicted = 0;
        for (int seed = 1; seed <= SEEDS; seed++) {
          List<Sample> history = shape.getValue().apply(RUNS, new SplittableRandom(seed));
          Backtest.Score s = Backtest.score(method.getValue(), history, WARM_UP);
          mape += s.mape() / SEEDS;
          coverage += s.coverage() / SEEDS;
          predicted += s.predicted();
        }
        scores.put(method.getKey(), new Backtest.Score(mape, coverage, predicted));
      }
      rows.add(new Row(shape.getKey(), scores));
      out.printf("predict: %s done%n", shape.getKey());
      out.flush();
    }
    return rows;
  }

  /** The rows as a table. */
  public static String format(List<Row> rows) {
    StringBuilder sb =
        new StringBuilder(
            String.format(
                "duration prediction, %,d runs x %d seeds per shape, walk-forward:%n",
                RUNS, SEEDS));
    sb.append(
        String.format(
            "    %-32s %-12s %10s %14s%n", "history", "method", "p50 MAPE", "p90 coverage"));
    for (Row r : rows) {
      r.byMethod()
          .forEach((method, s) ->
              sb.append(
                  String.format(
                      "    %-32s %-12s %9.1f%% %13.1f%%%n",
                      r.shape(), method, 100 * s.mape(), 100 * s.coverage())));
    }
    return sb.toString().stripTrailing();
  }
}
