package dev.kairos.server.dispatch;

import dev.kairos.core.protocol.WorkerInfo;
import dev.kairos.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Records in the store that workers are alive, so that every replica sees them (for failover
 * between clusters, the pools view and why an attempt waits). A worker is written when it first
 * polls this replica, when its declaration changes, and then at most every {@code refresh} while it
 * keeps polling or heartbeating: a write per worker every few seconds, not one per poll. A poll
 * counts when it starts, not while it waits: a worker killed during a long poll stops heartbeating,
 * and is no longer live once a lease has passed.
 */
final class WorkerRegistry {
  private final Store store;
  private final Clock clock;
  private final Duration refresh;
  private final Map<String, Seen> seen = new ConcurrentHashMap<>();

  /** When this replica last heard from each worker (a poll starting, a heartbeat). */
  private final Map<String, Long> heard = new ConcurrentHashMap<>();

  private record Seen(WorkerInfo info, Instant writtenAt) {}

  /**
   * @param refresh how often a worker that keeps polling is written again; well under the liveness
   *     (a lease), so that a live worker never looks dead
   */
  WorkerRegistry(Store store, Clock clock, Duration refresh) {
    this.store = store;
    this.clock = clock;
    this.refresh = refresh;
  }

  void polled(WorkerInfo worker) {
    Instant now = clock.instant();
    heard.put(worker.workerId(), System.nanoTime());
    Seen last = seen.get(worker.workerId());
    if (last != null
        && last.info().equals(worker)
        && Duration.between(last.writtenAt(), now).compareTo(refresh) < 0) {
      return;
    }
    store.recordWorker(worker, now);
    seen.put(worker.workerId(), new Seen(worker, now));
    if (seen.size() > 10_000) {
      // workers come and go: forget the ones this replica has not written for an hour
      Instant cutoff = now.minus(Duration.ofHours(1));
      seen.values().removeIf(s -> s.writtenAt().isBefore(cutoff));
      heard.keySet().retainAll(seen.keySet());
    }
  }

  /**
   * Whether this replica heard from the worker within {@code within}: a long poll of a worker that
   * has stopped heartbeating (killed while its poll was open) must not be handed work.
   */
  boolean heardWithin(String workerId, Duration within) {
    Long at = heard.get(workerId);
    return at != null && System.nanoTime() - at < within.toNanos();
  }

  /** A worker that heartbeats is alive (workers heartbeat when idle too). */
  void heartbeat(String workerId) {
    Instant now = clock.instant();
    heard.put(workerId, System.nanoTime());
    Seen last = seen.get(workerId);
    if (last != null && Duration.between(last.writtenAt(), now).compareTo(refresh) < 0) {
      return;
    }
    store.touchWorker(workerId, now);
    if (last != null) {
      seen.put(workerId, new Seen(last.info(), now));
    }
  }
}
