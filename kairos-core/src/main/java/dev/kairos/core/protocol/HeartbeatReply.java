package dev.kairos.core.protocol;

import java.util.Set;

/**
 * The server's answer to a heartbeat.
 *
 * @param cancel attempts the worker must kill and report as CANCELLED (their run was cancelled)
 * @param lost attempts whose lease this worker no longer holds (expired and taken over, or finished
 *     elsewhere): the worker must kill them and not report them
 */
public record HeartbeatReply(Set<Long> cancel, Set<Long> lost) {
  public HeartbeatReply {
    cancel = Set.copyOf(cancel);
    lost = Set.copyOf(lost);
  }
}
