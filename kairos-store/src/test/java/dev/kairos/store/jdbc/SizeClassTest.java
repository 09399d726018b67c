package dev.kairos.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SizeClassTest {
  @Test
  void classesDoubleFromATenthOfACore() {
    assertThat(SizeClass.cpu(0)).isZero();
    assertThat(SizeClass.cpu(1)).isEqualTo(1);
    assertThat(SizeClass.cpu(100)).isEqualTo(1);
    assertThat(SizeClass.cpu(101)).isEqualTo(2);
    assertThat(SizeClass.cpu(200)).isEqualTo(2);
    assertThat(SizeClass.cpu(400)).isEqualTo(3);
    assertThat(SizeClass.cpu(2_000)).isEqualTo(5);
    assertThat(SizeClass.cpu(Long.MAX_VALUE / 4)).isEqualTo(24);
  }

  /** What a worker skips by class it cannot hold: every request of a higher class exceeds it. */
  @Test
  void anAttemptOfAHigherClassThanTheWorkerNeverFitsIt() {
    for (long worker = 1; worker <= 20_000; worker += 7) {
      for (long request = 1; request <= 40_000; request += 13) {
        if (SizeClass.cpu(request) > SizeClass.cpu(worker)) {
          assertThat(request).as("request %d, worker %d", request, worker).isGreaterThan(worker);
        }
      }
    }
  }
}
