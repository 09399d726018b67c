package dev.kairos.bench;

import dev.kairos.core.predict.DurationPredictor;
import dev.kairos.core.predict.Prediction;
import dev.kairos.core.predict.Sample;
import dev.kairos.store.DispatchOrder;
import dev.kairos.store.PoolSettings;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * The trade-off of {@code order: shortest-predicted-first}, simulated: one pool of {@value #SLOTS}
 * slots at {@value #LOAD_PERCENT}% load, fed by 20 jobs of one priority, 16 short (median 1 to 10
 * s) and 4 long (median 2 to 20 min), each duration log-normal around its job's median. Each
 * attempt's rank is what the store writes ({@link PoolSettings#rank(int, long, double)}), from the
 * p50 that {@link DurationPredictor} learns from the job's last runs; the pool hands the
 * best-ranked waiting attempt to the first free slot. Reports waiting times by kind and order. A
 * model, not the system: it isolates the order from everything else (the store's own dispatch is
 * measured by the dispatch scenario).
 */
public final class OrderBench {
  static final int SLOTS = 8;
  static final int LOAD_PERCENT = 90;
  static final int ARRIVALS = 100_000;
  private static final int SHORT_JOBS = 16;
  private static final int JOBS = 20;
  private static final double SIGMA = 0.5;

  /** What one order gave: waits of all attempts, the short ones and the longest job's. */
  public record Row(String order, Stats all, Stats shortOnes, Stats longOnes) {}

  /** Waiting times in seconds. */
  public record Stats(double mean, double p50, double p99, double max) {
    static Stats of(List<Double> waits) {
      double[] w = waits.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      return new Stats(
          Arrays.stream(w).average().orElse(0),
          w[(int) (0.50 * (w.length - 1))],
          w[(int) (0.99 * (w.length - 1))],
          w[w.length - 1]);
    }
  }

  private record Arrival(long id, int job, double at, double millis) {}

  private record Waiting(Arrival a, long rank) {}

  private record Running(double end, Arrival a) {}

  public List<Row> run() {
    List<Row> rows = new ArrayList<>();
    rows.add(simulate("fifo", PoolSettings.defaults("sim")));
    for (Duration w : List.of(Duration.ofMinutes(1), Duration.ofMinutes(10), Duration.ofHours(1))) {
      rows.add(
          simulate(
              "shortest-predicted-first, window " + dev.kairos.core.spec.Durations.format(w),
              new PoolSettings(
                  "sim", null, Duration.ZERO, DispatchOrder.SHORTEST_PREDICTED_FIRST, w)));
    }
    return rows;
  }

  private static double median(int job) {
    return job < SHORT_JOBS
        ? 1_000 * Math.pow(10, job / (double) (SHORT_JOBS - 1))
        : 120_000 * Math.pow(10, (job - SHORT_JOBS) / (double) (JOBS - SHORT_JOBS - 1));
  }

  private static List<Arrival> arrivals() {
    SplittableRandom random = new SplittableRandom(7);
    double meanMillis = 0;
    for (int j = 0; j < JOBS; j++) {
      double share = j < SHORT_JOBS ? 0.8 / SHORT_JOBS : 0.2 / (JOBS - SHORT_JOBS);
      meanMillis += share * median(j) * Math.exp(SIGMA * SIGMA / 2);
    }
    double gapMillis = meanMillis / SLOTS / (LOAD_PERCENT / 100.0);
    List<Arrival> list = new ArrayList<>(ARRIVALS);
    double t = 0;
    for (long i = 0; i < ARRIVALS; i++) {
      t += -gapMillis * Math.log(1 - random.nextDouble());
      int job =
          random.nextDouble() < 0.8
              ? random.nextInt(SHORT_JOBS)
              : SHORT_JOBS + random.nextInt(JOBS - SHORT_JOBS);
      double d = median(job) * Math.exp(SIGMA * gaussian(random));
      list.add(new Arrival(i, job, t, d));
    }
    return list;
  }

  private static double gaussian(SplittableRandom r) {
    return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
  }

  private static Row simulate(String name, PoolSettings pool) {
    DurationPredictor predictor = DurationPredictor.defaults();
    List<Deque<Sample>> history = new ArrayList<>();
    for (int j = 0; j < JOBS; j++) {
      history.add(new ArrayDeque<>());
    }
    PriorityQueue<Waiting> queue =
        new PriorityQueue<>(
            Comparator.comparingLong(Waiting::rank).reversed().thenComparingLong(w -> w.a().id()));
    PriorityQueue<Running> running = new PriorityQueue<>(Comparator.comparingDouble(Running::end));
    List<Double> all = new ArrayList<>();
    List<Double> shortOnes = new ArrayList<>();
    List<Double> longOnes = new ArrayList<>();
    List<Arrival> arrivals = arrivals();
    int next = 0;
    double now = 0;
    while (next < arrivals.size() || !queue.isEmpty()) {
      if (running.size() < SLOTS && !queue.isEmpty()) {
        Arrival a = queue.poll().a();
        double wait = (now - a.at()) / 1000;
        all.add(wait);
        if (a.job() < SHORT_JOBS) {
          shortOnes.add(wait);
        } else if (a.job() == JOBS - 1) {
          longOnes.add(wait);
        }
        running.add(new Running(now + a.millis(), a));
        continue;
      }
      double arrive = next < arrivals.size() ? arrivals.get(next).at() : Double.MAX_VALUE;
      double free = running.isEmpty() ? Double.MAX_VALUE : running.peek().end();
      if (free <= arrive) {
        // an attempt ends: its job learns its duration
        Running ended = running.poll();
        now = ended.end();
        Deque<Sample> h = history.get(ended.a().job());
        h.addLast(Sample.of(ended.a().millis()));
        if (h.size() > DurationPredictor.HISTORY_RUNS) {
          h.removeFirst();
        }
      } else {
        Arrival a = arrivals.get(next++);
        now = a.at();
        double p50 =
            predictor
                .predict(List.copyOf(history.get(a.job())), Double.NaN)
                .map(Prediction::p50)
                .orElse(Double.NaN);
        queue.add(new Waiting(a, pool.rank(0, (long) a.at(), p50)));
      }
    }
    return new Row(name, Stats.of(all), Stats.of(shortOnes), Stats.of(longOnes));
  }

  /** The rows as a table. */
  public static String format(List<Row> rows) {
    StringBuilder sb =
        new StringBuilder(
            String.format(
                "dispatch order, simulated: %d slots at %d%% load, %,d attempts of one priority"
                    + " (80%% of 16 jobs of 1-10 s, 20%% of 4 jobs of 2-20 min); wait in s, for all, the"
                    + " short ones, and those of the longest job:%n",
                SLOTS, LOAD_PERCENT, ARRIVALS));
    sb.append(
        String.format(
            "    %-38s %7s | %-23s | %-31s%n",
            "", "all", "short: mean   p50   p99", "20-min job: mean   p50   p99   max"));
    for (Row r : rows) {
      sb.append(
          String.format(
              "    %-38s %7.0f | %11.0f %5.0f %5.0f | %16.0f %5.0f %5.0f %5.0f%n",
              r.order(),
              r.all().mean(),
              r.shortOnes().mean(),
              r.shortOnes().p50(),
              r.shortOnes().p99(),
              r.longOnes().mean(),
              r.longOnes().p50(),
              r.longOnes().p99(),
              r.longOnes().max()));
    }
    return sb.toString().stripTrailing();
  }
}
