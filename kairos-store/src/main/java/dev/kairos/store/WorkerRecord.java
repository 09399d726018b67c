package dev.kairos.store;

import dev.kairos.core.protocol.Allocation;
import dev.kairos.core.protocol.WorkerInfo;
import java.time.Instant;

/**
 * A worker as the store knows it: its last declaration, when it was first and last heard from, and
 * what the attempts it runs now request.
 *
 * @param used the requests of its RUNNING attempts, summed
 * @param running how many attempts it runs
 */
public record WorkerRecord(
    WorkerInfo info, Instant startedAt, Instant lastSeenAt, Allocation used, int running) {

  /** Its capacity less what its attempts request. */
  public Allocation free() {
    return Allocation.of(info.capacity()).minus(used);
  }
}
