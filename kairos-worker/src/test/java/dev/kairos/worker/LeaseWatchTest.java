package dev.kairos.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When an attempt whose lease is not renewed is given up, on a clock the test sets. */
class LeaseWatchTest {
  static final long S = 1_000_000_000L;
  Duration lease = Duration.ofSeconds(10);
  final LeaseWatch watch = new LeaseWatch(() -> lease, () -> 0, id -> {});

  @Test
  void anAttemptIsGivenUpASecondBeforeItsLeaseRunsOut() {
    watch.held(1, 0);
    assertThat(watch.runningOut(9 * S - 1).due()).isEmpty();
    assertThat(watch.runningOut(9 * S - 1).nextNanos()).isEqualTo(1);
    assertThat(watch.runningOut(9 * S).due()).containsExactly(1L);
    assertThat(watch.runningOut(100 * S).due()).as("given up once").isEmpty();
  }

  @Test
  void aRenewalCountsFromWhenItWasSent() {
    watch.held(1, 0);
    watch.held(2, 0);
    watch.renewed(List.of(1L, 3L), 5 * S);
    watch.renewed(List.of(1L), 4 * S); // an older heartbeat answered late
    assertThat(watch.runningOut(9 * S).due()).containsExactly(2L);
    assertThat(watch.runningOut(14 * S - 1).due()).isEmpty();
    assertThat(watch.runningOut(14 * S).due()).containsExactly(1L);
  }

  @Test
  void anAttemptThatEndedIsNotGivenUp() {
    watch.held(1, 0);
    watch.forget(1);
    assertThat(watch.runningOut(100 * S).due()).isEmpty();
    assertThat(watch.runningOut(100 * S).nextNanos()).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void theMarginIsAFifthOfTheLeaseAtMostASecondAndFollowsTheServersLease() {
    lease = Duration.ofMinutes(5);
    assertThat(watch.budget()).isEqualTo(Duration.ofSeconds(299));
    lease = Duration.ofSeconds(3);
    assertThat(watch.budget()).isEqualTo(Duration.ofMillis(2400));
  }
}
