package dev.kairos.core.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SaturatingTest {
  static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");

  @Test
  void anOrdinarySumIsExact() {
    assertThat(Saturating.plus(NOW, Duration.ofMinutes(5)))
        .isEqualTo(Instant.parse("2026-12-02T10:05:00Z"));
    assertThat(Saturating.plus(NOW, Duration.ofMinutes(-5)))
        .isEqualTo(Instant.parse("2026-12-02T09:55:00Z"));
  }

  @Test
  void aSumPastTheLatestTimeIsTheLatestTime() {
    // 999999999999d, the retry interval that made every completion fail with "long overflow"
    Duration huge = Duration.ofDays(999_999_999_999L);
    assertThat(Saturating.plus(NOW, huge)).isEqualTo(Saturating.LATEST);
    assertThat(Saturating.plus(NOW, Duration.ofSeconds(Long.MAX_VALUE)))
        .isEqualTo(Saturating.LATEST);
    assertThat(Saturating.plus(NOW, huge).toEpochMilli()).isPositive();
    assertThat(Saturating.plus(NOW, Duration.ofSeconds(Long.MIN_VALUE)))
        .isEqualTo(Saturating.EARLIEST);
  }

  @Test
  void durationsTooLongForALongSaturate() {
    Duration huge = Duration.ofSeconds(Long.MAX_VALUE);
    assertThat(Saturating.millis(huge)).isEqualTo(Long.MAX_VALUE);
    assertThat(Saturating.nanos(huge)).isEqualTo(Long.MAX_VALUE);
    assertThat(Saturating.nanos(huge.negated())).isEqualTo(Long.MIN_VALUE);
    assertThat(Saturating.millis(Duration.ofMillis(1500))).isEqualTo(1500);
  }

  @Test
  void longSumsSaturate() {
    assertThat(Saturating.add(Long.MAX_VALUE, 1)).isEqualTo(Long.MAX_VALUE);
    assertThat(Saturating.add(Long.MIN_VALUE, -1)).isEqualTo(Long.MIN_VALUE);
    assertThat(Saturating.add(40, 2)).isEqualTo(42);
    assertThat(Saturating.add(Long.MAX_VALUE, Long.MIN_VALUE)).isEqualTo(-1);
  }
}
