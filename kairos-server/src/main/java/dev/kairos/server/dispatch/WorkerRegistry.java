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
 * keeps polling or heartbeating: a write per worker every few seconds, not one per poll.
 */
final class WorkerRegistry {
  private final Store store;
  private final Clock clock;
  private final Duration refresh;
  private final Map<String, Seen> seen = new ConcurrentHashMap<>();

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
    }
  }

  /** A worker that heartbeats is alive, declared or not (a poll declares it). */
  void heartbeat(String workerId) {
    Seen last = seen.get(workerId);
    if (last != null) {
      polled(last.info());
    }
  }
}
