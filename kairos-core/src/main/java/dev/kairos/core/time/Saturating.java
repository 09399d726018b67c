package dev.kairos.core.time;

import java.time.Duration;
import java.time.Instant;

/**
 * Arithmetic on times that saturates instead of overflowing. Specs bound their durations (a year at
 * most), but a value stored before a bound existed, or a sum of many, must still give a time and
 * never an exception: one job's absurd retry interval once made every completion batch, and then
 * the lease reaper, fail with "long overflow" for all jobs.
 *
 * <p>Instants are kept within [{@link #EARLIEST}, {@link #LATEST}], which epoch milliseconds, SQL
 * and the web UI's JavaScript dates all hold.
 */
public final class Saturating {
  /** The latest instant a time saturates to: the end of year 9999. */
  public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");

  /** The earliest instant a time saturates to: the start of year 0. */
  public static final Instant EARLIEST = Instant.parse("0000-01-01T00:00:00Z");

  private Saturating() {}

  /** {@code t + d}, within [EARLIEST, LATEST]. */
  public static Instant plus(Instant t, Duration d) {
    Duration room = Duration.between(t, d.isNegative() ? EARLIEST : LATEST);
    if (d.isNegative() ? d.compareTo(room) <= 0 : d.compareTo(room) >= 0) {
      return d.isNegative() ? EARLIEST : LATEST;
    }
    return t.plus(d);
  }

  /** {@code d} in milliseconds, Long.MIN_VALUE or MAX_VALUE when it does not fit. */
  public static long millis(Duration d) {
    try {
      return d.toMillis();
    } catch (ArithmeticException e) {
      return d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }

  /** {@code d} in nanoseconds, Long.MIN_VALUE or MAX_VALUE when it does not fit (292 years). */
  public static long nanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      return d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }

  /** {@code a + b}, Long.MIN_VALUE or MAX_VALUE when the sum does not fit. */
  public static long add(long a, long b) {
    long sum = a + b;
    // overflow iff both operands have the sign opposite to the sum's
    if (((a ^ sum) & (b ^ sum)) < 0) {
      return a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
    return sum;
  }
}
