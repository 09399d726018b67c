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
 */
public record PoolSettings(String name, Integer maxRunning, Duration priorityAging) {
  public static final Duration DEFAULT_AGING = Duration.ofSeconds(1);

  /** Rank multiplier when aging is off: no wait outweighs one priority point (2^31 ms, 24 days). */
  static final long NO_AGING_MILLIS = 1L << 31;

  public static PoolSettings defaults(String name) {
    return new PoolSettings(name, null, DEFAULT_AGING);
  }

  /**
   * The rank of an attempt of {@code priority} due at {@code dueMillis}: ordering by it, highest
   * first, is ordering by effective priority (see the V6 migration).
   */
  public long rank(int priority, long dueMillis) {
    long aging =
        priorityAging.isZero()
            ? NO_AGING_MILLIS
            : Math.min(NO_AGING_MILLIS, priorityAging.toMillis());
    return priority * Math.max(1, aging) - dueMillis;
  }
}
