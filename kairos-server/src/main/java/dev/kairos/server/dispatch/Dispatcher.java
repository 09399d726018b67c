package dev.kairos.server.dispatch;

import dev.kairos.core.protocol.Allocation;
import dev.kairos.core.protocol.Assignment;
import dev.kairos.core.protocol.Completion;
import dev.kairos.core.protocol.HeartbeatReply;
import dev.kairos.core.protocol.Lease;
import dev.kairos.core.protocol.LeaseTerms;
import dev.kairos.core.protocol.LogChunk;
import dev.kairos.core.protocol.PollReply;
import dev.kairos.core.protocol.PollRequest;
import dev.kairos.core.protocol.WorkerProtocol;
import dev.kairos.server.isolation.Isolation;
import dev.kairos.server.loop.Signal;
import dev.kairos.store.AttemptEnd;
import dev.kairos.store.Claim;
import dev.kairos.store.Completed;
import dev.kairos.store.ConflictException;
import dev.kairos.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * The server side of the worker protocol: hands queued attempts to polling workers, renews leases,
 * records completions and logs. Used in process by the local worker of {@code kairos up} and over
 * HTTP by remote workers.
 */
public final class Dispatcher implements WorkerProtocol {
  /**
   * How often a waiting poll re-checks the store even without a signal (give or take a quarter):
   * attempts become due on their own (retry backoff) and other replicas queue work this process
   * does not hear about.
   */
  private static final long RECHECK_MILLIS = 200;

  /**
   * A poll that keeps finding nothing re-checks less often, doubling up to this: a hundred idle
   * workers re-checking every 200 ms cost the database more than the work did. A signal (work
   * queued in this process) wakes it at once whatever the interval.
   */
  private static final long MAX_RECHECK_MILLIS = 1_000;

  private final Store store;
  private final Clock clock;
  private final Signal signal;
  private final LeaseTerms terms;
  private final int maxBatch;
  private final Duration claimAhead;
  private final RandomGenerator random;
  private final AtomicLong accepted = new AtomicLong();
  private final WorkerRegistry workers;
  private final Consumer<List<AttemptEnd>> ended;
  private final Isolation isolation;

  /** Set on shutdown: waiting polls return at once, so that HTTP requests can drain. */
  private volatile boolean draining;

  public Dispatcher(
      Store store,
      Clock clock,
      Signal signal,
      LeaseTerms terms,
      int maxBatch,
      Duration claimAhead,
      RandomGenerator random,
      Consumer<List<AttemptEnd>> ended,
      Isolation isolation) {
    this.store = store;
    this.isolation = isolation;
    this.clock = clock;
    this.signal = signal;
    this.terms = terms;
    this.maxBatch = maxBatch;
    this.claimAhead = claimAhead;
    this.random = random;
    this.ended = ended;
    // a worker is live while heard from within a lease: written at least three times per lease
    this.workers = new WorkerRegistry(store, clock, terms.lease().dividedBy(3));
  }

  @Override
  public PollReply poll(PollRequest request) throws InterruptedException {
    return poll(request, () -> true);
  }

  /**
   * {@link #poll(PollRequest)} for a worker at the other end of a connection: while {@code
   * connected} says the worker has gone (its process died with the poll open), nothing is claimed
   * for it and the poll ends, so that no attempt is leased to a worker that will never see it.
   */
  public PollReply poll(PollRequest request, BooleanSupplier connected)
      throws InterruptedException {
    // request.max() is the worker's free slots and request.free() its free cpu and memory
    // (PollRequest checks both against its capacity)
    int n = Math.min(request.max(), maxBatch);
    if (n <= 0) {
      return PollReply.NOTHING;
    }
    Claim claim = new Claim(request.worker(), n, request.free(), terms.lease());
    long deadline = System.nanoTime() + Math.max(0, request.waitMillis()) * 1_000_000L;
    workers.polled(request.worker());
    boolean partlyBusy = !request.free().equals(Allocation.of(request.worker().capacity()));
    long recheck = RECHECK_MILLIS;
    String pool = request.worker().pool();
    while (true) {
      long seen = signal.generation(pool);
      if (!connected.getAsBoolean()) {
        return PollReply.NOTHING;
      }
      List<Assignment> claimed =
          store.claimAttempts(claim, clock.instant(), claimAhead, terms.lease());
      if (!claimed.isEmpty()) {
        return PollReply.of(claimed);
      }
      // the free capacity of this poll stays what it was while it waits: if the next attempt
      // waits for more of it, say so at once, and the worker polls again when its attempts end
      if (partlyBusy && store.waitsForCapacity(claim, clock.instant(), claimAhead)) {
        return new PollReply(List.of(), true);
      }
      long left = (deadline - System.nanoTime()) / 1_000_000L;
      if (left <= 0 || draining) {
        return PollReply.NOTHING;
      }
      boolean signalled = signal.awaitChange(pool, seen, Math.min(left, jittered(recheck)));
      recheck = signalled ? RECHECK_MILLIS : Math.min(MAX_RECHECK_MILLIS, recheck * 2);
      // workers heartbeat even when idle: silence for a lease means this poll's worker is gone
      // (its requests may go to another replica, in which case it simply polls again)
      if (!workers.heardWithin(request.worker().workerId(), terms.lease())) {
        return PollReply.NOTHING;
      }
    }
  }

  /**
   * {@code millis} give or take a quarter: polls that began together (a restart, a signal that woke
   * them all) do not re-check in lockstep, nor in step with work of a fixed period (tasks of 200 ms
   * ended just as every waiting poll re-checked, and the claims slowed the transaction recording
   * those ends).
   */
  private static long jittered(long millis) {
    return millis * 3 / 4 + ThreadLocalRandom.current().nextLong(millis / 2 + 1);
  }

  /**
   * Ends waiting polls with no work and makes later ones answer without waiting: the server is
   * shutting down and its HTTP requests should finish promptly.
   */
  public void drain() {
    draining = true;
    signal.signal();
  }

  @Override
  public LeaseTerms leaseTerms() {
    return terms;
  }

  @Override
  public HeartbeatReply heartbeat(String workerId, Collection<Lease> leases) {
    workers.heartbeat(workerId);
    return store.heartbeat(workerId, leases, clock.instant(), terms.lease());
  }

  /**
   * Records outcomes in one transaction. A completion whose recording fails alone, for a reason
   * that will not pass, is set aside (its attempt and run FAILED with the internal error) and the
   * others are recorded: one job's poison never stops every job's results. A transient failure is
   * thrown, and the worker sends the batch again. A completion of an attempt the worker does not
   * hold under its fence refuses the whole call ({@link ConflictException}, nothing recorded): the
   * worker then sends the rest one by one and drops the refused.
   */
  @Override
  public void complete(String workerId, List<Completion> completions) {
    if (completions.isEmpty()) {
      return;
    }
    Completed done =
        isolation.run(
            "completions",
            () -> store.completeAttempts(workerId, completions, clock.instant(), random),
            () -> completions,
            c -> store.completeAttempts(workerId, List.of(c), clock.instant(), random),
            (c, reason) -> store.setAsideAttempt(c.attemptId(), reason, clock.instant()),
            Completed.NONE,
            Completed::plus);
    accepted.addAndGet(done.accepted());
    ended.accept(done.ended());
    // waiting polls are woken for new work only (a DAG's next tasks, a retry due now), and only
    // those of its pools: waking every waiting worker on every completion made them all claim,
    // mostly for nothing
    if (done.queued() > 0) {
      if (done.pools().isEmpty()) {
        signal.signal();
      } else {
        signal.signal(done.pools());
      }
    }
  }

  @Override
  public void release(String workerId, Collection<Lease> leases) {
    if (store.releaseAttempts(workerId, leases, clock.instant()) > 0) {
      signal.signal();
    }
  }

  /**
   * Stores the output a worker sent, of attempts it claimed: a chunk of another worker's attempt
   * (or under an earlier claim: one given back and claimed anew) is a conflict, and nothing of the
   * call is stored.
   */
  @Override
  public void appendLogs(String workerId, List<LogChunk> chunks) {
    if (chunks.isEmpty()) {
      return;
    }
    List<Long> foreign = store.appendLogs(workerId, chunks);
    if (!foreign.isEmpty()) {
      throw new ConflictException(
          "worker "
              + workerId
              + " did not claim attempt"
              + (foreign.size() == 1 ? " " : "s ")
              + foreign.stream()
                  .map(String::valueOf)
                  .collect(java.util.stream.Collectors.joining(", "))
              + " under the fence sent: it may write the output of its own claims only; nothing"
              + " was stored");
    }
  }

  /** Completions accepted (recorded) by this replica since it started, from any worker. */
  public long acceptedCompletions() {
    return accepted.get();
  }
}
