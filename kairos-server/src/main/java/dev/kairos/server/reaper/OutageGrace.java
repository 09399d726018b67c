package dev.kairos.server.reaper;

import java.time.Duration;
import java.time.Instant;

/**
 * Which lapsed leases the reaper may act on, so that a store outage does not pass for dead workers.
 *
 * <p>Workers renew their leases through the store. While it is out of reach (a database restart, a
 * network partition, this replica stalled) no heartbeat lands, and the leases of live workers lapse
 * with the rest; reaped, their attempts would fail or run again although nothing died. So once the
 * reaper has been blind, when a round failed or no round reached the store for longer than {@code
 * blindAfter}, it reaps only leases that lapsed before it went blind, until it has reached the
 * store again for one whole lease: time for every live worker to heartbeat and to report what it
 * finished in the meantime. A worker that really died in the outage is found one lease later.
 *
 * <p>Pure (the caller passes the times) and used by the reaper's one thread only.
 */
final class OutageGrace {
  private final Duration lease;
  private final Duration blindAfter;

  /** When the last round that reached the store ended; null before the first. */
  private Instant lastReached;

  /** While holding back: when the store was last known reachable before it was lost. */
  private Instant blindSince;

  /** While holding back: when full reaping resumes; null until the store is reached again. */
  private Instant holdUntil;

  /**
   * @param lease the lease workers are given: how long the hold lasts once the store is back
   * @param blindAfter a gap between rounds that reach the store longer than this is a blind spot;
   *     keep it well above the reaper's interval, which is the normal gap
   */
  OutageGrace(Duration lease, Duration blindAfter) {
    this.lease = lease;
    this.blindAfter = blindAfter;
  }

  /** Before a round starting at {@code now}: leases that lapsed before the answer may be reaped. */
  Instant cutoff(Instant now) {
    if (lastReached != null && Duration.between(lastReached, now).compareTo(blindAfter) > 0) {
      blind(lastReached);
    } else if (holdUntil != null && !now.isBefore(holdUntil)) {
      blindSince = null;
      holdUntil = null;
    }
    return blindSince != null && blindSince.isBefore(now) ? blindSince : now;
  }

  /** The round that started at {@code start} reached the store; it ended at {@code end}. */
  void reached(Instant start, Instant end) {
    if (Duration.between(start, end).compareTo(blindAfter) > 0) {
      blind(start); // the round itself waited that long for the store
    }
    if (blindSince != null && holdUntil == null) {
      holdUntil = end.plus(lease);
    }
    lastReached = end;
  }

  /** The round that started at {@code start} could not reach the store. */
  void failed(Instant start) {
    blind(lastReached != null ? lastReached : start);
  }

  /** Whether lapsed leases are being held back now. */
  boolean holding() {
    return blindSince != null;
  }

  /** Until when, once the store is reachable again; null while it is not (or when not holding). */
  Instant holdUntil() {
    return holdUntil;
  }

  private void blind(Instant since) {
    if (blindSince == null || since.isBefore(blindSince)) {
      blindSince = since;
    }
    holdUntil = null;
  }
}
