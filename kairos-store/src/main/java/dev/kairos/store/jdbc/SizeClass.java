package dev.kairos.store.jdbc;

/**
 * Size classes of cpu requests, doubling from 100m: class 0 requests no cpu, class 1 up to 100m, 2
 * up to 200m, 3 up to 400m, ... An attempt of class k requests more than a worker of class k - 1
 * has, so a worker need only look at the classes up to its own (see {@code QueueQueries#best}); the
 * queue is indexed by pool, class and rank.
 */
final class SizeClass {
  private static final long UNIT_MILLICORES = 100;
  private static final int MAX = 24;

  private SizeClass() {}

  static int cpu(long millicores) {
    if (millicores <= 0) {
      return 0;
    }
    long units = (millicores + UNIT_MILLICORES - 1) / UNIT_MILLICORES;
    return Math.min(MAX, 64 - Long.numberOfLeadingZeros(units));
  }
}
