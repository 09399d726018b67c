package dev.kairos.core.protocol;

import java.util.List;

/**
 * The answer to a poll.
 *
 * @param assignments the attempts handed out (none on timeout)
 * @param waitForCapacity true when nothing was handed out because the next attempt due needs more
 *     cpu or memory than the worker has free, though no more than it has: waiting on the server
 *     would not help, as the free capacity of the poll does not change while it waits. The worker
 *     polls again when one of its attempts ends (its capacity frees up), and not before.
 */
public record PollReply(List<Assignment> assignments, boolean waitForCapacity) {
  public static final PollReply NOTHING = new PollReply(List.of(), false);

  public PollReply {
    assignments = List.copyOf(assignments);
  }

  public static PollReply of(List<Assignment> assignments) {
    return new PollReply(assignments, false);
  }
}
