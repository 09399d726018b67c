package dev.kairos.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kairos.core.protocol.Completion;
import dev.kairos.core.protocol.Lease;
import dev.kairos.core.run.AttemptState;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The outbox's group commit; only lower bounds on time are asserted (a slow machine is slower). */
class OutboxTest {
  private final FakeProtocol server = new FakeProtocol();
  private final Outbox outbox = new Outbox(server, "w1");

  private static Completion done(long id) {
    return new Completion(id, AttemptState.SUCCEEDED, 0, null);
  }

  @Test
  void completionsThatKeepComingAreSentTogetherOnceTheyPause() throws Exception {
    long start = System.nanoTime();
    Thread producer =
        Thread.ofVirtual()
            .start(() -> {
              for (int i = 1; i <= 5; i++) {
                outbox.add(done(i));
                sleep(20);
              }
            });
    outbox.awaitCompletion(1_000);
    // arrivals 20 ms apart are a burst under a 200 ms quiet period: wait for the last of them
    outbox.settle(Duration.ofMillis(200), Duration.ofSeconds(10));
    long waited = (System.nanoTime() - start) / 1_000_000;
    producer.join();
    assertThat(outbox.flush()).isEqualTo(5);
    assertThat(server.completeBatchSizes).containsExactly(5);
    assertThat(waited).isGreaterThanOrEqualTo(4 * 20 + 200);
  }

  @Test
  void aSteadyStreamIsSentOnceItsOldestCompletionHasWaitedTheLongest() throws Exception {
    outbox.add(done(1));
    long start = System.nanoTime();
    Thread producer =
        Thread.ofVirtual()
            .start(() -> {
              for (int i = 2; i <= 50; i++) {
                outbox.add(done(i));
                sleep(10);
              }
            });
    // never quiet for 1 s, but the first completion may wait 100 ms at most
    outbox.settle(Duration.ofSeconds(1), Duration.ofMillis(100));
    long waited = (System.nanoTime() - start) / 1_000_000;
    // ignoring the limit would wait for the stream to end (0.5 s) and then be quiet (1 s)
    assertThat(waited).isGreaterThanOrEqualTo(100).isLessThan(1_200);
    producer.join();
  }

  @Test
  void aBurstOfLogsGoesInCallsThatFitTheServersBodyCap() {
    // 300 full chunks (19 Mi characters): one call of them all was past the 16 MiB the server
    // takes, refused, and sent again one chunk at a time
    String full = "x".repeat(64 * 1024);
    for (int i = 0; i < 300; i++) {
      outbox.add(new dev.kairos.core.protocol.LogChunk(1, i, "stdout", 0, full));
    }
    outbox.flush();
    assertThat(server.logs).hasSize(300);
    assertThat(server.logBatchChars)
        .hasSize(10)
        .allSatisfy(chars -> assertThat(chars).isLessThanOrEqualTo(Outbox.MAX_LOG_CHARS));
  }

  @Test
  void aBatchThatCouldNotBeDeliveredIsSentAgain() {
    server.failNextCompletes.set(1);
    outbox.add(done(1));
    assertThat(outbox.flush()).isEqualTo(-1);
    assertThat(server.completed).isEmpty();
    assertThat(outbox.empty()).isFalse(); // kept to be sent again
    assertThat(outbox.flush()).isEqualTo(1);
    assertThat(server.completed).extracting(Completion::attemptId).containsExactly(1L);
    assertThat(outbox.empty()).isTrue();
  }

  @Test
  void nothingOwedMeansNoWait() throws Exception {
    long start = System.nanoTime();
    outbox.settle(Duration.ofSeconds(5), Duration.ofSeconds(5));
    assertThat(outbox.flush()).isZero();
    assertThat(server.completeBatchSizes).isEmpty();
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(4_000);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void anOutcomeTheServerRefusesAloneIsDroppedAndTheRestAreDelivered() {
    server.refuse = c -> c.attemptId() == 7;
    for (long id = 5; id <= 9; id++) {
      outbox.add(done(id));
    }
    assertThat(outbox.flush()).isEqualTo(4);
    assertThat(server.completed)
        .extracting(Completion::attemptId)
        .containsExactlyInAnyOrder(5L, 6L, 8L, 9L);
    assertThat(outbox.empty()).isTrue();
    // a refused batch is not sent again forever: the next flush has nothing left
    assertThat(outbox.flush()).isZero();
  }

  @Test
  void aBatchSentOneByOneKeepsWhatTheServerCouldNotBeReachedFor() {
    server.refuse = c -> c.attemptId() == 1;
    outbox.add(done(1));
    outbox.add(done(2));
    outbox.add(done(3));
    server.unreachableAfter = 2; // the batch and item 1 reach it (both refused), then it is gone
    assertThat(outbox.flush()).isEqualTo(-1);
    assertThat(outbox.empty()).isFalse();
    assertThat(outbox.owed()).extracting(Lease::attemptId).containsExactlyInAnyOrder(2L, 3L);
    server.unreachableAfter = 0;
    assertThat(outbox.flush()).isEqualTo(2);
    assertThat(server.completed).extracting(Completion::attemptId).containsExactly(2L, 3L);
  }
}
