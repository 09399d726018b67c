package dev.kairos.worker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Gives up an attempt whose lease the worker could not renew in time, before the server may hand it
 * to another worker: a retry elsewhere must never run beside it. A lease runs for the server's
 * lease after a renewal was <em>sent</em> (the server renews it on receipt, later), so the attempt
 * is given up a margin before that, time enough to kill its processes: a fifth of the lease, at
 * most 1 s. With the default 15 s lease and heartbeats every 5 s, that is after two heartbeats in a
 * row failed, 14 s after the last renewal was sent. Its own thread keeps the time, since a
 * heartbeat call may hang for as long as the servers are unreachable.
 */
final class LeaseWatch {
  private static final long MAX_MARGIN_NANOS = Duration.ofSeconds(1).toNanos();

  private final Supplier<Duration> lease;
  private final LongSupplier nanoTime;
  private final LongConsumer onRunningOut;

  /** When each held attempt's lease was last renewed (or taken), by the worker's clock. */
  private final Map<Long, Long> renewed = new HashMap<>();

  private Thread thread;
  private boolean stopped;

  /** When the watch's thread wakes next by itself (nanos); it is woken sooner only if need be. */
  private long wakeAt = Long.MIN_VALUE;

  /**
   * @param lease the server's lease, as the worker knows it now
   * @param nanoTime the clock ({@link System#nanoTime} but in tests)
   * @param onRunningOut called, on the watch's thread, with an attempt to give up
   */
  LeaseWatch(Supplier<Duration> lease, LongSupplier nanoTime, LongConsumer onRunningOut) {
    this.lease = lease;
    this.nanoTime = nanoTime;
    this.onRunningOut = onRunningOut;
  }

  /**
   * An attempt was handed to the worker at {@code nanos}: its lease runs from then. The watch is
   * woken only if this lease runs out before it would wake anyway: a worker takes thousands of
   * attempts a second, and each wake-up looks at every attempt held.
   */
  synchronized void held(long attemptId, long nanos) {
    renewed.put(attemptId, nanos);
    if (nanos + budgetNanos() < wakeAt) {
      notifyAll();
    }
  }

  /** A heartbeat sent at {@code nanos} renewed the leases of these attempts. */
  synchronized void renewed(Collection<Long> attemptIds, long nanos) {
    for (long id : attemptIds) {
      renewed.computeIfPresent(id, (k, before) -> Math.max(before, nanos));
    }
  }

  /** The attempt ended or was given up: no longer watched. */
  synchronized void forget(long attemptId) {
    renewed.remove(attemptId);
  }

  /** How long after a renewal an attempt is given up: the lease less the margin. */
  Duration budget() {
    return Duration.ofNanos(budgetNanos());
  }

  /** {@link #budget()} in nanos, in long arithmetic: this runs for every attempt taken. */
  private long budgetNanos() {
    long l = lease.get().toNanos();
    return l - Math.min(l / 5, MAX_MARGIN_NANOS);
  }

  /**
   * The attempts whose budget ran out by {@code now}, which it stops watching; and how long until
   * the next one's does (nanos; {@link Long#MAX_VALUE} when none is held).
   */
  synchronized RunningOut runningOut(long now) {
    long budget = budgetNanos();
    List<Long> due = new ArrayList<>();
    long next = Long.MAX_VALUE;
    for (Map.Entry<Long, Long> e : renewed.entrySet()) {
      long left = e.getValue() + budget - now;
      if (left <= 0) {
        due.add(e.getKey());
      } else {
        next = Math.min(next, left);
      }
    }
    due.forEach(renewed::remove);
    return new RunningOut(due, next);
  }

  /** What {@link #runningOut} found. */
  record RunningOut(List<Long> due, long nextNanos) {}

  synchronized void start() {
    thread = Thread.ofPlatform().name("kairos-worker-leases").daemon(true).start(this::loop);
  }

  void stop() {
    Thread t;
    synchronized (this) {
      stopped = true;
      notifyAll();
      t = thread;
    }
    if (t != null) {
      try {
        t.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void loop() {
    while (true) {
      RunningOut found;
      synchronized (this) {
        found = runningOut(nanoTime.getAsLong());
        while (found.due().isEmpty() && !stopped) {
          // at least once a second: the server's lease may have changed meanwhile
          long millis = Math.min(1_000, Math.max(1, found.nextNanos() / 1_000_000 + 1));
          wakeAt = nanoTime.getAsLong() + millis * 1_000_000;
          try {
            wait(millis);
          } catch (InterruptedException e) {
            return;
          } finally {
            wakeAt = Long.MIN_VALUE;
          }
          found = runningOut(nanoTime.getAsLong());
        }
        if (stopped) {
          return;
        }
      }
      found.due().forEach(onRunningOut::accept);
    }
  }
}
