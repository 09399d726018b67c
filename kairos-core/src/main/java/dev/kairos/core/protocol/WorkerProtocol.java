package dev.kairos.core.protocol;

import java.util.Collection;
import java.util.List;

/**
 * The worker protocol, as seen by a worker. The server implements it in process (the local worker
 * of {@code kairos up}) and over HTTP (remote workers); the worker is written against this
 * interface only.
 */
public interface WorkerProtocol {

  /**
   * Says which worker speaks through this protocol, before its first call. Over HTTP the worker
   * then enrols as that worker (with the token it was given) and makes every later call with the
   * credential it gets back; in process there is nothing to do.
   */
  default void identify(WorkerInfo worker) {}

  /**
   * Claims up to {@code request.max()} queued attempts of the worker's pool for it, within its free
   * cpu and memory, waiting up to {@code request.waitMillis()} for work to appear (long poll).
   * Answers with nothing on timeout, and at once when the server is shutting down or when the next
   * attempt due waits for the worker's capacity to free up ({@link PollReply#waitForCapacity()}).
   */
  PollReply poll(PollRequest request) throws InterruptedException;

  /**
   * The server's lease and the heartbeat interval it wants. A worker asks when it starts and after
   * it reconnects, and heartbeats at that pace unless told otherwise.
   */
  LeaseTerms leaseTerms();

  /**
   * Extends the given leases of running attempts; says which to cancel or drop. A lease under a
   * claim that is not the attempt's current one is reported lost.
   */
  HeartbeatReply heartbeat(String workerId, Collection<Lease> leases);

  /**
   * Records outcomes. A completion for an attempt this worker no longer holds, or holds under
   * another claim (its fence), is rejected (ignored), never double-counted.
   */
  void complete(String workerId, List<Completion> completions);

  /**
   * Gives back attempts this worker holds but will not finish (it is shutting down): they are
   * queued again at once instead of waiting for their leases to expire.
   */
  void release(String workerId, Collection<Lease> leases);

  /**
   * Appends output chunks, each of an attempt this worker claimed, under the claim its fence names;
   * otherwise nothing of the call is stored.
   */
  void appendLogs(String workerId, List<LogChunk> chunks);
}
