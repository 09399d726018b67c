package dev.kairos.core.protocol;

import java.util.Objects;

/**
 * One long poll: the polling worker as it declares itself, and how much work it takes.
 *
 * @param worker who polls, for which pool, with what capacity
 * @param max the most attempts to hand out: the worker's free slots, so never more than its {@code
 *     capacity.slots}
 * @param waitMillis how long to wait for work when none is queued (0 = answer at once)
 * @param free the cpu and memory not reserved by the attempts it runs: the attempts handed out
 *     request no more than this in all
 */
public record PollRequest(WorkerInfo worker, int max, long waitMillis, Allocation free) {
  /** A poll of a worker that runs nothing yet: all of its cpu and memory are free. */
  public PollRequest(WorkerInfo worker, int max, long waitMillis) {
    this(worker, max, waitMillis, Allocation.of(worker.capacity()));
  }

  public PollRequest {
    Objects.requireNonNull(worker, "worker");
    Objects.requireNonNull(free, "free");
    if (!free.fits(Allocation.of(worker.capacity()))) {
      throw new IllegalArgumentException(
          "free (" + free + ") must not exceed the capacity (" + worker.capacity() + ")");
    }
    if (max < 1 || max > worker.capacity().slots()) {
      throw new IllegalArgumentException(
          "max must be 1 to the worker's slots (" + worker.capacity().slots() + "): " + max);
    }
    if (waitMillis < 0) {
      throw new IllegalArgumentException("waitMillis must not be negative: " + waitMillis);
    }
  }
}
