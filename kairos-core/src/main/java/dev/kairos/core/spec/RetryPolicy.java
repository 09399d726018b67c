package dev.kairos.core.spec;

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
 */
public record RetryPolicy(
    int maxRetries,
    Duration initialInterval,
    Duration maxInterval,
    double backoffMultiplier,
    double jitter) {

  public static final RetryPolicy NONE =
      new RetryPolicy(0, Duration.ofSeconds(1), Duration.ofMinutes(5), 2.0, 0.0);

  /** Whether an attempt numbered {@code attempt} (1 = first try) that failed may be retried. */
  public boolean allowsRetryAfter(int attempt) {
    return attempt <= maxRetries;
  }

  /**
   * The delay before retry number {@code retry} (1 = first retry).
   *
   * @param random01 a uniform random number in [0, 1), supplied by the caller so this stays pure
   */
  public Duration delayBeforeRetry(int retry, double random01) {
    double base = initialInterval.toMillis() * Math.pow(backoffMultiplier, Math.max(0, retry - 1));
    double capped = Math.min(base, maxInterval.toMillis());
    double spread = capped * jitter * (2 * random01 - 1);
    long millis = Math.round(Math.min(maxInterval.toMillis(), Math.max(0, capped + spread)));
    return Duration.ofMillis(millis);
  }
}
