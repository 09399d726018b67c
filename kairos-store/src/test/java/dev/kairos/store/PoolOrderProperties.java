package dev.kairos.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** The promises of {@code order: shortest-predicted-first}, over random attempts and settings. */
class PoolOrderProperties {

  private static PoolSettings pool(long agingMillis, long windowMillis) {
    return new PoolSettings(
        "p",
        null,
        Duration.ofMillis(agingMillis),
        DispatchOrder.SHORTEST_PREDICTED_FIRST,
        Duration.ofMillis(windowMillis));
  }

  @Property
  void anAttemptIsHeldBackAtMostTheWindowAndLongerPredictionsMore(
      @ForAll @LongRange(max = 86_400_000) long aging,
      @ForAll @LongRange(max = 86_400_000) long window,
      @ForAll @DoubleRange(min = 0, max = 1e9) double shorter,
      @ForAll @DoubleRange(min = 0, max = 1e9) double longer) {
    PoolSettings p = pool(aging, window);
    double a = Math.min(shorter, longer);
    double b = Math.max(shorter, longer);
    assertThat(p.held(a)).isBetween(0L, p.window().toMillis());
    assertThat(p.held(b)).isBetween(p.held(a), p.window().toMillis());
    assertThat(p.held(Double.NaN)).isBetween(0L, p.window().toMillis());
  }

  @Property
  void itNeverReordersAttemptsWhoseEffectivePrioritiesAreAPointApart(
      @ForAll @LongRange(min = 0, max = 3_600_000) long aging,
      @ForAll @LongRange(max = 86_400_000) long window,
      @ForAll @IntRange(min = -50, max = 50) int priorityA,
      @ForAll @IntRange(min = -50, max = 50) int priorityB,
      @ForAll @LongRange(max = 10_000_000) long dueA,
      @ForAll @LongRange(max = 10_000_000) long dueB,
      @ForAll @DoubleRange(min = 0, max = 1e9) double predictedA,
      @ForAll @DoubleRange(min = 0, max = 1e9) double predictedB) {
    PoolSettings spf = pool(aging, window);
    PoolSettings fifo = new PoolSettings("p", null, Duration.ofMillis(aging));
    long fifoGap = fifo.rank(priorityA, dueA) - fifo.rank(priorityB, dueB);
    long oneStep = fifo.rank(1, 0) - fifo.rank(0, 0);
    if (Math.abs(fifoGap) >= oneStep) {
      long spfGap = spf.rank(priorityA, dueA, predictedA) - spf.rank(priorityB, dueB, predictedB);
      assertThat(Long.signum(spfGap)).isEqualTo(Long.signum(fifoGap));
    }
  }

  @Property
  void ofTwoAttemptsOfOnePriorityDueTogetherTheShorterGoesFirst(
      @ForAll @IntRange(min = -50, max = 50) int priority,
      @ForAll @LongRange(max = 10_000_000) long due,
      @ForAll @DoubleRange(min = 1, max = 1e7) double shorter) {
    PoolSettings p = pool(0, 3_600_000);
    double longer = shorter * 2;
    assertThat(p.rank(priority, due, shorter)).isGreaterThan(p.rank(priority, due, longer));
    // an attempt due more than a window earlier goes first however long it is predicted to take
    long window = p.window().toMillis();
    assertThat(p.rank(priority, due, 1e12)).isGreaterThan(p.rank(priority, due + window + 1, 1));
  }
}
