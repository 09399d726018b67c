package dev.kairos.worker;

import dev.kairos.core.protocol.Completion;
import dev.kairos.core.protocol.Lease;
import dev.kairos.core.protocol.LogChunk;
import dev.kairos.core.protocol.RefusedException;
import dev.kairos.core.protocol.WorkerProtocol;
import dev.kairos.worker.http.WorkerProtocolException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the worker owes the server: log chunks and completions, sent in batches (logs first, so a
 * finished run's output is there when its end is). A send that could not be delivered is retried
 * with back-off and nothing is dropped; the server ignores duplicates (chunks by seq, completions
 * by lease). A batch the server refuses for what it carries (400, 409, 413, 422) is sent again one
 * item at a time, and an item refused alone is dropped with an error in the log: one bad item never
 * holds back every other result.
 */
final class Outbox {
  private static final Logger log = LoggerFactory.getLogger(Outbox.class);
  private static final int MAX_BATCH = 1_000;

  /**
   * The most log text sent in one call, in characters: 2 Mi, which is at most 12 MiB of JSON even
   * were every character escaped (\\u0000), under the 16 MiB a server takes in a worker call.
   * Typical output makes calls of 2 to 6 MiB.
   */
  static final long MAX_LOG_CHARS = 2L << 20;

  /**
   * The most a batch of completions may weigh, counting the characters of their errors and outputs:
   * 1,000 completions of 16 KiB of outputs each were past the server's cap.
   */
  static final long MAX_COMPLETION_CHARS = 2L << 20;

  private final WorkerProtocol protocol;
  private final String workerId;
  private final ConcurrentLinkedQueue<LogChunk> chunks = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Completion> completions = new ConcurrentLinkedQueue<>();
  private List<LogChunk> pendingChunks = List.of();
  // replaced, never changed in place: the heartbeat thread reads it (owed())
  private volatile List<Completion> pendingCompletions = List.of();
  private boolean failing;
  private final Semaphore arrived = new Semaphore(0);
  private volatile long lastArrival;
  private final AtomicLong oldestUnsent = new AtomicLong(); // nanoTime, 0 when none

  Outbox(WorkerProtocol protocol, String workerId) {
    this.protocol = protocol;
    this.workerId = workerId;
  }

  void add(LogChunk chunk) {
    chunks.add(chunk);
  }

  void add(Completion completion) {
    completions.add(completion);
    long now = System.nanoTime();
    lastArrival = now;
    oldestUnsent.compareAndSet(0, now);
    arrived.release();
  }

  /** Waits until a completion has been added since the last call, at most {@code maxMillis}. */
  void awaitCompletion(long maxMillis) throws InterruptedException {
    if (arrived.tryAcquire(maxMillis, TimeUnit.MILLISECONDS)) {
      arrived.drainPermits();
    }
  }

  /**
   * Waits while completions keep arriving less than {@code quiet} apart, until the oldest unsent
   * one is {@code max} old at the most: attempts that end together (a layer of a DAG, a burst of
   * short tasks) are reported in one call, so that the server records them in one transaction
   * instead of one after the other; under a steady stream, a group commit every {@code max}.
   */
  void settle(Duration quiet, Duration max) throws InterruptedException {
    long oldest = oldestUnsent.get();
    if (oldest == 0) {
      return;
    }
    long end = oldest + max.toNanos();
    while (true) {
      long now = System.nanoTime();
      long until = Math.min(lastArrival + quiet.toNanos(), end);
      if (until - now <= 0) {
        return;
      }
      Thread.sleep(Duration.ofNanos(until - now));
    }
  }

  /**
   * The attempts whose completions are made but not delivered yet: their leases must be renewed
   * like those of running attempts until the server has their outcome. Sending is retried with a
   * back-off of up to 5 s, longer than a short lease: after a database restart the reaper gives
   * leases one lease to be renewed, and an attempt that had ended during the outage was reaped as
   * lost (and its run failed) while its completion waited for the next try.
   */
  Set<Lease> owed() {
    Set<Lease> leases = new HashSet<>();
    pendingCompletions.forEach(c -> leases.add(c.lease()));
    completions.forEach(c -> leases.add(c.lease()));
    return leases;
  }

  boolean empty() {
    return chunks.isEmpty()
        && completions.isEmpty()
        && pendingChunks.isEmpty()
        && pendingCompletions.isEmpty();
  }

  /**
   * Sends what is queued. Called from one thread only.
   *
   * @return the number of completions delivered, or -1 if the server could not be reached
   */
  int flush() {
    try {
      while (true) {
        if (pendingChunks.isEmpty()) {
          pendingChunks = drain(chunks, c -> c.text().length(), MAX_LOG_CHARS);
        }
        if (pendingChunks.isEmpty()) {
          break;
        }
        try {
          protocol.appendLogs(workerId, pendingChunks);
        } catch (RuntimeException e) {
          if (!refused(e)) {
            throw e;
          }
          Rest<LogChunk> rest =
              oneByOne(
                  pendingChunks,
                  c -> protocol.appendLogs(workerId, List.of(c)),
                  c -> "log chunk " + c.seq() + " of attempt " + c.attemptId());
          pendingChunks = rest.left();
          if (rest.failure() != null) {
            throw rest.failure();
          }
        }
        pendingChunks = List.of();
      }
      int delivered = 0;
      while (true) {
        if (pendingCompletions.isEmpty()) {
          oldestUnsent.set(0); // what comes after this drain starts the next batch's wait
          pendingCompletions = drain(completions, Outbox::weight, MAX_COMPLETION_CHARS);
        }
        if (pendingCompletions.isEmpty()) {
          break;
        }
        try {
          protocol.complete(workerId, pendingCompletions);
          delivered += pendingCompletions.size();
        } catch (RuntimeException e) {
          if (!refused(e)) {
            throw e;
          }
          List<Completion> batch = pendingCompletions;
          Rest<Completion> rest =
              oneByOne(
                  batch,
                  c -> protocol.complete(workerId, List.of(c)),
                  c -> "the outcome of attempt " + c.attemptId());
          pendingCompletions = rest.left();
          delivered += batch.size() - rest.left().size() - rest.refused();
          if (rest.failure() != null) {
            throw rest.failure();
          }
        }
        pendingCompletions = List.of();
      }
      if (failing) {
        log.info("server reachable again worker={}", workerId);
        failing = false;
      }
      return delivered;
    } catch (RuntimeException e) {
      if (!failing) {
        log.warn("cannot deliver results, retrying worker={}: {}", workerId, e.toString());
        failing = true;
      }
      return -1;
    }
  }

  /**
   * What is left of a batch sent one item at a time: nothing when every item went (or was refused
   * alone and dropped); else the item the server could not be reached for and those after it, with
   * that failure.
   */
  private record Rest<T>(List<T> left, int refused, RuntimeException failure) {}

  private <T> Rest<T> oneByOne(
      List<T> batch, Consumer<T> send, java.util.function.Function<T, String> what) {
    int refused = 0;
    for (int i = 0; i < batch.size(); i++) {
      T item = batch.get(i);
      try {
        send.accept(item);
      } catch (RuntimeException e) {
        if (!refused(e)) {
          return new Rest<>(List.copyOf(batch.subList(i, batch.size())), refused, e);
        }
        refused++;
        log.error(
            "the server refused {} worker={}; dropping it: {}",
            what.apply(item),
            workerId,
            e.getMessage());
      }
    }
    return new Rest<>(List.of(), refused, null);
  }

  /**
   * Whether the server refused what a call carried (over HTTP, or in process), so that it must not
   * be sent again.
   */
  private static boolean refused(RuntimeException e) {
    return e instanceof RefusedException || (e instanceof WorkerProtocolException w && w.refused());
  }

  /**
   * Takes up to {@link #MAX_BATCH} items from the queue, and no more than {@code budget} of their
   * weight (but always one, whatever it weighs).
   */
  private static <T> List<T> drain(
      ConcurrentLinkedQueue<T> queue, ToLongFunction<T> weight, long budget) {
    List<T> batch = new ArrayList<>();
    long used = 0;
    T item;
    while (batch.size() < MAX_BATCH && (item = queue.peek()) != null) {
      long w = weight.applyAsLong(item);
      if (!batch.isEmpty() && used + w > budget) {
        break;
      }
      queue.poll();
      batch.add(item);
      used += w;
    }
    return batch;
  }

  private static long weight(Completion c) {
    long w = 100 + (c.error() == null ? 0 : c.error().length());
    for (var e : c.outputs().entrySet()) {
      w += e.getKey().length() + e.getValue().length() + 8;
    }
    return w;
  }
}
