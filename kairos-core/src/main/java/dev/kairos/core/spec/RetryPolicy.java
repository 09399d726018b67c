package dev.kairos.core.spec;

import dev.kairos.core.time.Saturating;
import java.time.Duration;

/**
 * How failed attempts are retried: exponential backoff from {@code initialInterval}, multiplied by
 * {@code backoffMultiplier} per retry, capped at {@code maxInterval}, with a random spread of
 * {@code ±jitter} (a fraction, 0 to 1) so that retries of many runs do not arrive together.
 *
 * @param maxRetries retries after the first attempt (0 = never retry); default 0
 * @param initialInterval delay before the first retry; default 1s
 * @param maxInterval upper bound of any delay; default 5m
 * @param backoffMultiplier growth per retry, at least 1.0; default 2.0
 * @param jitter fraction of the delay added or removed at random, 0 to 1; default 0
 * @param maxLost attempts LOST (their worker died or stopped heartbeating, or their claim never
 *     reached it) that are queued again at once without using a retry, as Kubernetes' pod failure
 *     policy ignores disruptions; a loss after these counts as a failure; default 3
 */
public record RetryPolicy(
    int maxRetries,
    Duration initialInterval,
    Duration maxInterval,
    double backoffMultiplier,
    double jitter,
    int maxLost) {

  public static final int DEFAULT_MAX_LOST = 3;

  public static final RetryPolicy NONE =
      new RetryPolicy(0, Duration.ofSeconds(1), Duration.ofMinutes(5), 2.0, 0.0);

  /** A policy with the default {@code maxLost}. */
  public RetryPolicy(
      int maxRetries,
      Duration initialInterval,
      Duration maxInterval,
      double backoffMultiplier,
      double jitter) {
    this(maxRetries, initialInterval, maxInterval, backoffMultiplier, jitter, DEFAULT_MAX_LOST);
  }

  /**
   * Whether an attempt that was LOST, after {@code lostBefore} losses of the same task that did not
   * use its retries, is queued again without using one.
   */
  public boolean forgivesLoss(int lostBefore) {
    return lostBefore < maxLost;
  }

  /** Whether an attempt numbered {@code attempt} (1 = first try) that failed may be retried. */
  public boolean allowsRetryAfter(int attempt) {
    return attempt <= maxRetries;
  }

  /**
   * The delay before retry number {@code retry} (1 = first retry): within [0, maxInterval] for any
   * policy and any retry number, without overflowing however large they are.
   *
   * @param random01 a uniform random number in [0, 1), supplied by the caller so this stays pure
   */
  public Duration delayBeforeRetry(int retry, double random01) {
    long maxMillis = Saturating.millis(maxInterval);
    double max = maxMillis;
    double base =
        Saturating.millis(initialInterval) * Math.pow(backoffMultiplier, Math.max(0, retry - 1));
    // NaN (a multiplier below 1 or not a number, from a policy built in code) counts as the cap
    double capped = Double.isNaN(base) ? max : Math.max(0, Math.min(base, max));
    double spread = capped * jitter * (2 * random01 - 1);
    double millis = Math.max(0, Math.min(max, capped + (Double.isNaN(spread) ? 0 : spread)));
    // compared as longs: past 2^53 ms a double rounds the cap itself up
    return Duration.ofMillis(Math.max(0, Math.min(maxMillis, Math.round(millis))));
  }
}
