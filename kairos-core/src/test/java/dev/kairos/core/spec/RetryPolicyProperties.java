package dev.kairos.core.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

/**
 * The retry math with extreme inputs: durations up to the longest a {@link Duration} holds (far
 * past what a spec may say, as a policy stored before the bounds existed can), multipliers and
 * retry numbers at their limits. The delay is always within [0, maxInterval], never an exception.
 */
class RetryPolicyProperties {
  @Provide
  Arbitrary<Duration> durations() {
    return Arbitraries.oneOf(
        Arbitraries.longs().between(0, 10_000_000).map(Duration::ofMillis),
        Arbitraries.longs().between(0, Long.MAX_VALUE).map(Duration::ofMillis),
        Arbitraries.longs().between(0, Long.MAX_VALUE).map(Duration::ofSeconds),
        Arbitraries.of(Duration.ZERO, Duration.ofDays(365), Duration.ofSeconds(Long.MAX_VALUE)));
  }

  @Provide
  Arbitrary<Integer> retries() {
    return Arbitraries.oneOf(
        Arbitraries.integers().between(0, 200), Arbitraries.of(Integer.MAX_VALUE, -1, 0, 1));
  }

  @Property(tries = 2000)
  void aDelayIsWithinZeroAndTheMaxIntervalWhateverThePolicy(
      @ForAll("durations") Duration initial,
      @ForAll("durations") Duration max,
      @ForAll @DoubleRange(min = 1.0, max = 100.0) double multiplier,
      @ForAll @DoubleRange(min = 0.0, max = 1.0) double jitter,
      @ForAll("retries") int retry,
      @ForAll @DoubleRange(min = 0.0, max = 1.0, maxIncluded = false) double random) {
    RetryPolicy policy = new RetryPolicy(3, initial, max, multiplier, jitter);
    Duration delay = policy.delayBeforeRetry(retry, random);
    assertThat(delay).isGreaterThanOrEqualTo(Duration.ZERO);
    assertThat(delay.toMillis())
        .isLessThanOrEqualTo(
            max.compareTo(Duration.ofMillis(Long.MAX_VALUE)) > 0 ? Long.MAX_VALUE : max.toMillis());
  }

  @Property(tries = 1000)
  void withoutJitterTheDelayNeverShrinksFromOneRetryToTheNext(
      @ForAll("durations") Duration initial,
      @ForAll("durations") Duration max,
      @ForAll @DoubleRange(min = 1.0, max = 100.0) double multiplier,
      @ForAll @IntRange(min = 1, max = 150) int retry) {
    RetryPolicy policy = new RetryPolicy(3, initial, max, multiplier, 0);
    assertThat(policy.delayBeforeRetry(retry + 1, 0.5))
        .isGreaterThanOrEqualTo(policy.delayBeforeRetry(retry, 0.5));
  }

  @Property(tries = 500)
  void aDelayAddedToNowNeverOverflows(
      @ForAll("durations") Duration initial,
      @ForAll("durations") Duration max,
      @ForAll("retries") int retry) {
    Duration delay = new RetryPolicy(3, initial, max, 2.0, 0.2).delayBeforeRetry(retry, 0.99);
    assertThat(
            dev.kairos.core.time.Saturating.plus(
                    java.time.Instant.parse("2026-12-02T00:00:00Z"), delay)
                .toEpochMilli())
        .isPositive();
  }
}
