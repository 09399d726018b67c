package dev.kairos.server.loop;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A wake-up call between threads of one process: pollers wait on one for queued attempts, the
 * ticker on another for job changes. Waiters also re-check on a timer, which covers what this
 * process cannot hear about (other replicas, times coming due).
 *
 * <p>A waiter may wait on a topic (the pollers of a pool on the pool's name): it wakes on every
 * {@link #signal()} and on the signals of its topic, not on those of other topics. Work queued in
 * one pool does not make the idle workers of every other pool look for it.
 */
public final class Signal {
  private long generation;
  private final Map<String, Long> topics = new HashMap<>();

  /** Something changed: wake every waiter. */
  public synchronized void signal() {
    generation++;
    notifyAll();
  }

  /** Something changed that concerns the waiters on these topics only: wake them. */
  public synchronized void signal(Collection<String> changed) {
    if (changed.isEmpty()) {
      return;
    }
    changed.forEach(t -> topics.merge(t, 1L, Long::sum));
    notifyAll();
  }

  /** The current generation, to pass to {@link #awaitChange}. */
  public synchronized long generation() {
    return generation;
  }

  /**
   * The current generation for waiters on {@code topic} (null: on none), to pass to {@link
   * #awaitChange}.
   */
  public synchronized long generation(String topic) {
    // both counts only grow: their sum changes when either does
    return generation + topics.getOrDefault(topic, 0L);
  }

  /**
   * Waits until a signal after {@code seen}, or at most {@code millis}; true if it was signalled.
   */
  public boolean awaitChange(long seen, long millis) throws InterruptedException {
    return awaitChange(null, seen, millis);
  }

  /**
   * Waits until a signal for every waiter or for {@code topic} (null: every waiter's only) after
   * {@code seen}, or at most {@code millis}; true if it was signalled.
   */
  public synchronized boolean awaitChange(String topic, long seen, long millis)
      throws InterruptedException {
    long deadline = System.nanoTime() + millis * 1_000_000L;
    while (generation(topic) == seen) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      // to the nanosecond: a wait cut short by rounding would wake a ticker before its time
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return true;
  }
}
