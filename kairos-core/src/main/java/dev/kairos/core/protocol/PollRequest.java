package dev.kairos.core.protocol;

import java.util.Objects;

/**
 * One long poll: the polling worker as it declares itself, and how much work it takes.
 *
 * @param worker who polls, for which pool, with what capacity
 * @param max the most attempts to hand out: the worker's free slots, so never more than its {@code
 *     capacity.slots}
 * @param waitMillis how long to wait for work when none is queued (0 = answer at once)
 */
public record PollRequest(WorkerInfo worker, int max, long waitMillis) {
  public PollRequest {
    Objects.requireNonNull(worker, "worker");
    if (max < 1 || max > worker.capacity().slots()) {
      throw new IllegalArgumentException(
          "max must be 1 to the worker's slots (" + worker.capacity().slots() + "): " + max);
    }
    if (waitMillis < 0) {
      throw new IllegalArgumentException("waitMillis must not be negative: " + waitMillis);
    }
  }
}
