package dev.kairos.store;

import dev.kairos.core.protocol.Allocation;
import dev.kairos.core.protocol.Capacity;
import dev.kairos.core.protocol.PollRequest;
import dev.kairos.core.protocol.WorkerInfo;
import java.time.Duration;
import java.util.Map;

/**
 * A worker asking for attempts: who it is (pool, cluster, labels, capacity) and what it can take
 * now. The store hands out, highest rank first, attempts of its pool that
 *
 * <ul>
 *   <li>request no more cpu and memory than the worker has in all (bigger ones are for bigger
 *       workers),
 *   <li>are for its cluster, or for no cluster, or for a cluster with no live worker in the pool
 *       (unless their placement is strict),
 *   <li>select labels the worker has,
 * </ul>
 *
 * <p>and takes the longest run of them, in rank order, whose requests fit {@code free} together: an
 * attempt that fits the worker but not its free capacity stops the claim there, so that it gets the
 * capacity as it frees up instead of being passed over by smaller ones for ever.
 *
 * @param worker the worker's declaration
 * @param max at most this many attempts (its free slots)
 * @param free its cpu and memory not reserved by attempts it runs
 * @param liveness a worker heard from within this long is live (its cluster keeps its runs)
 */
public record Claim(WorkerInfo worker, int max, Allocation free, Duration liveness) {

  /** The claim of a poll. */
  public static Claim of(PollRequest poll, Duration liveness) {
    return new Claim(poll.worker(), poll.max(), poll.free(), liveness);
  }

  /**
   * A worker of {@code pool} in the default cluster, without labels, whose capacity no attempt
   * exceeds (a worker embedded in a bench or a tool that runs anything).
   */
  public static Claim any(String pool, String workerId, int max) {
    Capacity unbounded = new Capacity(Long.MAX_VALUE / 4, Long.MAX_VALUE / 4, Capacity.MAX_SLOTS);
    WorkerInfo w = new WorkerInfo(workerId, pool, WorkerInfo.DEFAULT_CLUSTER, Map.of(), unbounded);
    return new Claim(w, max, Allocation.of(unbounded), Duration.ofMinutes(1));
  }
}
