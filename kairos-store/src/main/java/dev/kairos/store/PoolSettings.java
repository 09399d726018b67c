package dev.kairos.store;

import java.time.Duration;

/**
 * Settings of a pool; a pool without any has the defaults.
 *
 * @param name the pool
 * @param maxRunning at most this many of its attempts run at once, over all workers; null = no
 *     limit
 * @param priorityAging a waiting attempt's priority grows by one for every this long it waits, so
 *     that under sustained higher-priority load it is still dispatched; zero = no aging (strict
 *     priority). Default 1 s.
 * @param order how attempts of the same effective priority are ordered; default FIFO
 * @param orderWindow with {@link DispatchOrder#SHORTEST_PREDICTED_FIRST}, the most an attempt is
 *     held back behind shorter ones (the starvation bound); null = the default, {@link
 *     #DEFAULT_WINDOW} capped just under one aging step (see {@link #window()})
 */
public record PoolSettings(
    String name,
    Integer maxRunning,
    Duration priorityAging,
    DispatchOrder order,
    Duration orderWindow) {
  public static final Duration DEFAULT_AGING = Duration.ofSeconds(1);
  public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(1);

  /** Rank multiplier when aging is off: no wait outweighs one priority point (2^31 ms, 24 days). */
  static final long NO_AGING_MILLIS = 1L << 31;

  public PoolSettings {
    if (order == null) {
      order = DispatchOrder.FIFO;
    }
  }

  /** FIFO settings. */
  public PoolSettings(String name, Integer maxRunning, Duration priorityAging) {
    this(name, maxRunning, priorityAging, DispatchOrder.FIFO, null);
  }

  public static PoolSettings defaults(String name) {
    return new PoolSettings(name, null, DEFAULT_AGING);
  }

  /** How long one priority point is worth in waiting, in milliseconds. */
  private long agingMillis() {
    return priorityAging.isZero()
        ? NO_AGING_MILLIS
        : Math.max(1, Math.min(NO_AGING_MILLIS, priorityAging.toMillis()));
  }

  /**
   * The most a shortest-predicted-first pool holds an attempt back: the set window (by default
   * {@link #DEFAULT_WINDOW}), and always less than one aging step, so that the order never changes
   * between attempts whose effective priorities are a whole point or more apart.
   */
  public Duration window() {
    long w = orderWindow != null ? orderWindow.toMillis() : DEFAULT_WINDOW.toMillis();
    return Duration.ofMillis(Math.max(0, Math.min(w, agingMillis() - 1)));
  }

  public boolean shortestFirst() {
    return order == DispatchOrder.SHORTEST_PREDICTED_FIRST;
  }

  /**
   * The rank of an attempt of {@code priority} due at {@code dueMillis}: ordering by it, highest
   * first, is ordering by effective priority (see the V6 migration).
   */
  public long rank(int priority, long dueMillis) {
    return priority * agingMillis() - dueMillis;
  }

  /** The predicted duration that is held back the whole window: 24 h. */
  static final double LONGEST_MILLIS = 86_400_000;

  /**
   * As {@link #rank(int, long)}, for an attempt predicted to take {@code predictedMillis} (its p50;
   * NaN when there is no prediction yet). In a shortest-predicted-first pool the attempt ranks as
   * if it became due later by its {@link #held held-back time}, which grows with the logarithm of
   * its predicted duration from 0 (1 ms) to the whole {@link #window()} (24 h or more). So among
   * attempts of a priority that became due close together, shorter ones go first; none waits more
   * than the window longer than it would in FIFO order; and as the window is less than one aging
   * step, no attempt passes one whose effective priority is a point or more higher.
   */
  public long rank(int priority, long dueMillis, double predictedMillis) {
    return rank(priority, dueMillis) - (shortestFirst() ? held(predictedMillis) : 0);
  }

  /**
   * How long a shortest-predicted-first pool holds back an attempt predicted to take {@code
   * predictedMillis}: {@code window × ln(p50 in ms) / ln(24 h in ms)}, within [0, window]; half the
   * window when there is no prediction (NaN), as for a task of about 9 s.
   */
  public long held(double predictedMillis) {
    long w = window().toMillis();
    if (Double.isNaN(predictedMillis)) {
      return w / 2;
    }
    double f = Math.log(Math.max(1, predictedMillis)) / Math.log(LONGEST_MILLIS);
    return Math.round(w * Math.min(1, f));
  }
}
