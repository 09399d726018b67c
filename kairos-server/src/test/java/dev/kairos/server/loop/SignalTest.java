package dev.kairos.server.loop;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Waiters on a topic wake for their topic and for everyone's signals, not for other topics. */
class SignalTest {
  private final Signal signal = new Signal();

  @Test
  void aSignalForAnotherTopicDoesNotWakeAWaiter() throws Exception {
    long seen = signal.generation("java");
    signal.signal(List.of("default"));
    assertThat(signal.generation("java")).isEqualTo(seen);
    assertThat(signal.awaitChange("java", seen, 50)).isFalse();
    assertThat(signal.awaitChange("default", signal.generation("default") - 1, 50)).isTrue();
  }

  @Test
  void aWaiterWakesForItsTopicAndForEveryonesSignals() throws Exception {
    long seen = signal.generation("java");
    CompletableFuture<Boolean> woken = waitFor("java", seen);
    signal.signal(List.of("default", "java"));
    assertThat(woken.get(10, TimeUnit.SECONDS)).isTrue();

    long again = signal.generation("java");
    CompletableFuture<Boolean> byAll = waitFor("java", again);
    signal.signal();
    assertThat(byAll.get(10, TimeUnit.SECONDS)).isTrue();
    assertThat(signal.generation("java")).isEqualTo(again + 1);
    // a waiter on no topic wakes for everyone's signals only
    long all = signal.generation();
    signal.signal(List.of("java"));
    assertThat(signal.awaitChange(all, 50)).isFalse();
  }

  private CompletableFuture<Boolean> waitFor(String topic, long seen) {
    CompletableFuture<Boolean> f = new CompletableFuture<>();
    Thread.ofVirtual()
        .start(() -> {
          try {
            f.complete(signal.awaitChange(topic, seen, 10_000));
          } catch (InterruptedException e) {
            f.completeExceptionally(e);
          }
        });
    return f;
  }
}
