package dev.kairos.server.reaper;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class OutageGraceTest {
  static final Duration LEASE = Duration.ofSeconds(3);
  final OutageGrace grace = new OutageGrace(LEASE, Duration.ofSeconds(2));

  static Instant at(double seconds) {
    return Instant.EPOCH.plusMillis((long) (seconds * 1000));
  }

  /** One round that reached the store at once; returns its cutoff. */
  Instant round(double seconds) {
    Instant cutoff = grace.cutoff(at(seconds));
    grace.reached(at(seconds), at(seconds + 0.01));
    return cutoff;
  }

  @Test
  void reapsEveryLapsedLeaseWhileTheStoreAnswers() {
    for (int s = 0; s < 10; s++) {
      assertThat(round(s)).isEqualTo(at(s));
    }
    assertThat(grace.holding()).isFalse();
  }

  @Test
  void afterAGapOnlyLeasesLapsedBeforeItAreReapedForOneLease() {
    round(0);
    round(1);
    // no round reached the store from 1.01 to 9: workers could not renew either
    assertThat(round(9)).isEqualTo(at(1.01));
    assertThat(grace.holdUntil()).isEqualTo(at(9.01).plus(LEASE));
    assertThat(round(10)).isEqualTo(at(1.01));
    assertThat(round(11)).isEqualTo(at(1.01));
    assertThat(round(12.5)).as("a whole lease since the store answered").isEqualTo(at(12.5));
    assertThat(grace.holding()).isFalse();
  }

  @Test
  void failedRoundsHoldBackFromTheLastAnswerAndTheLeaseCountsFromTheNextOne() {
    round(0);
    Instant cutoff = grace.cutoff(at(1));
    grace.failed(at(1));
    assertThat(cutoff).isEqualTo(at(1));
    assertThat(grace.cutoff(at(1.5))).isEqualTo(at(0.01));
    grace.failed(at(1.5));
    assertThat(grace.holdUntil()).as("not while the store is out of reach").isNull();
    assertThat(round(20)).isEqualTo(at(0.01));
    assertThat(round(22)).isEqualTo(at(0.01));
    assertThat(round(23.01)).isEqualTo(at(23.01));
  }

  @Test
  void aRoundThatWaitedLongForTheStoreHoldsBackFromItsStart() {
    round(0);
    Instant cutoff = grace.cutoff(at(1));
    grace.reached(at(1), at(8)); // blocked waiting for a connection, then answered
    assertThat(cutoff).isEqualTo(at(1));
    assertThat(round(9)).isEqualTo(at(1));
    assertThat(round(10)).isEqualTo(at(1));
    assertThat(round(11.1)).isEqualTo(at(11.1));
  }

  @Test
  void anOutageDuringTheHoldStartsItAgain() {
    round(0);
    round(5);
    assertThat(grace.holdUntil()).isEqualTo(at(8.01));
    grace.cutoff(at(6));
    grace.failed(at(6));
    assertThat(round(7)).isEqualTo(at(0.01));
    assertThat(grace.holdUntil()).isEqualTo(at(10.01));
    assertThat(round(9)).isEqualTo(at(0.01));
    assertThat(round(10.5)).isEqualTo(at(10.5));
  }

  @Test
  void theFirstRoundsOfAFreshReplicaReapAsUsual() {
    assertThat(round(100)).isEqualTo(at(100));
    assertThat(grace.holding()).isFalse();
  }
}
