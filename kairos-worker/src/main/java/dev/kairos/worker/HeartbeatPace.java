package dev.kairos.worker;

import dev.kairos.core.protocol.LeaseTerms;
import dev.kairos.core.protocol.WorkerProtocol;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How often the worker renews its leases: its own override if it has one, else the interval the
 * server announces. Servers set their own lease and heartbeat, so the worker asks when it starts
 * and again after it reconnects (it may have reached another replica, or a restarted one).
 */
final class HeartbeatPace {
  private static final Logger log = LoggerFactory.getLogger(HeartbeatPace.class);

  /** Until the server has answered: a third of the default 15s lease. */
  private static final Duration UNTIL_KNOWN = Duration.ofSeconds(5);

  /** The lease until the server has answered: its default. */
  private static final Duration LEASE_UNTIL_KNOWN = Duration.ofSeconds(15);

  private final String workerId;
  private final Duration override;
  private volatile long millis;
  private volatile Duration lease = LEASE_UNTIL_KNOWN;
  private volatile boolean stale = true;

  /**
   * @param override the worker's own interval, or null to follow the server
   */
  HeartbeatPace(String workerId, Duration override) {
    this.workerId = workerId;
    this.override = override;
    this.millis = (override == null ? UNTIL_KNOWN : override).toMillis();
  }

  long millis() {
    return millis;
  }

  /** The server's lease: how long an attempt stays with this worker after a renewal. */
  Duration lease() {
    return lease;
  }

  /**
   * Waits until the next heartbeat is due, {@link #millis} after {@code lastBeatNanos}. A new
   * interval from the server applies at once, not after the wait that was under way: a worker that
   * starts with the 5s fallback must not sleep through a 3s lease.
   */
  synchronized void awaitNext(long lastBeatNanos) throws InterruptedException {
    while (true) {
      long left = (lastBeatNanos + millis * 1_000_000L - System.nanoTime()) / 1_000_000L;
      if (left <= 0) {
        return;
      }
      wait(left);
    }
  }

  private synchronized void setMillis(long newMillis) {
    millis = newMillis;
    notifyAll();
  }

  /** The server may have changed (a reconnect): ask again before the next poll. */
  void markStale() {
    stale = true;
  }

  /** Asks the server for its terms if they may have changed; a failure is retried next time. */
  void refreshIfStale(WorkerProtocol protocol) {
    if (!stale) {
      return;
    }
    LeaseTerms terms;
    try {
      terms = protocol.leaseTerms();
    } catch (RuntimeException e) {
      log.debug(
          "cannot ask the server for its lease terms yet worker={}: {}", workerId, e.toString());
      return;
    }
    stale = false;
    lease = terms.lease();
    Duration interval = override == null ? terms.heartbeatInterval() : override;
    if (interval.toMillis() != millis) {
      log.info(
          "heartbeat interval worker={} interval={} lease={}", workerId, interval, terms.lease());
    }
    if (interval.multipliedBy(2).compareTo(terms.lease()) > 0) {
      log.warn(
          "heartbeat interval {} is more than half the server's lease {}: one late heartbeat can"
              + " lose an attempt worker={}",
          interval,
          terms.lease(),
          workerId);
    }
    setMillis(interval.toMillis());
  }
}
