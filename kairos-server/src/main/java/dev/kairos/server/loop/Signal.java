package dev.kairos.server.loop;

import java.util.concurrent.TimeUnit;

/**
 * A wake-up call between threads of one process: pollers wait on one for queued attempts, the
 * ticker on another for job changes. Waiters also re-check on a timer, which covers what this
 * process cannot hear about (other replicas, times coming due).
 */
public final class Signal {
  private long generation;

  /** Something changed: wake every waiter. */
  public synchronized void signal() {
    generation++;
    notifyAll();
  }

  /** The current generation, to pass to {@link #awaitChange}. */
  public synchronized long generation() {
    return generation;
  }

  /**
   * Waits until a signal after {@code seen}, or at most {@code millis}; true if it was signalled.
   */
  public synchronized boolean awaitChange(long seen, long millis) throws InterruptedException {
    long deadline = System.nanoTime() + millis * 1_000_000L;
    while (generation == seen) {
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
