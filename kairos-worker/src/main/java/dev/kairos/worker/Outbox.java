package dev.kairos.worker;

import dev.kairos.core.protocol.Completion;
import dev.kairos.core.protocol.LogChunk;
import dev.kairos.core.protocol.WorkerProtocol;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the worker owes the server: log chunks and completions, sent in batches (logs first, so a
 * finished run's output is there when its end is). Batches of completions go on calls of their own,
 * up to {@link #MAX_IN_FLIGHT} at once: completions made while one batch is on its way are sent at
 * once, not after its round trip (the attempts of one DAG layer end a few milliseconds apart and
 * are sent in two or three batches; the last of them decides when the next layer starts). A failed
 * send is retried with back-off and nothing is dropped; the server ignores duplicates (chunks by
 * seq, completions by lease).
 */
final class Outbox {
  private static final Logger log = LoggerFactory.getLogger(Outbox.class);
  private static final int MAX_BATCH = 1_000;
  static final int MAX_IN_FLIGHT = 4;

  private final WorkerProtocol protocol;
  private final String workerId;
  private final ConcurrentLinkedQueue<LogChunk> chunks = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Completion> completions = new ConcurrentLinkedQueue<>();
  private List<LogChunk> pendingChunks = List.of();
  private volatile boolean failing;
  private final Semaphore arrived = new Semaphore(0);
  private volatile long lastArrival;
  private final AtomicLong oldestUnsent = new AtomicLong(); // nanoTime, 0 when none

  /** A permit per batch of completions that may be on its way; held while it is. */
  private final Semaphore senders = new Semaphore(MAX_IN_FLIGHT);

  /** A batch could not be delivered (it is queued again) since the last {@link #dispatch}. */
  private final AtomicBoolean sendFailed = new AtomicBoolean();

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

  /** Nothing queued and nothing on its way. */
  boolean empty() {
    return chunks.isEmpty()
        && completions.isEmpty()
        && pendingChunks.isEmpty()
        && senders.availablePermits() == MAX_IN_FLIGHT;
  }

  /**
   * Sends the log chunks queued, then hands the completions queued to calls of their own and
   * returns without waiting for them (it waits only while {@link #MAX_IN_FLIGHT} are on their way).
   * Called from one thread only.
   *
   * @return the number of completions handed on, or -1 if the server could not be reached (now, or
   *     by a batch sent since the last call, which is queued again)
   */
  int dispatch() {
    if (!sendLogs()) {
      return -1;
    }
    int handed = 0;
    // after a failed send, nothing more until the flusher has backed off (the failed batch is
    // queued again: sending it at once would spin while the server is down)
    while (!sendFailed.get()) {
      // held before the drain: what has left the queue is always on its way (see empty())
      senders.acquireUninterruptibly();
      oldestUnsent.set(0); // what comes after this drain starts the next batch's wait
      List<Completion> batch = drain(completions);
      if (batch.isEmpty()) {
        senders.release();
        break;
      }
      Thread.ofVirtual()
          .name("kairos-worker-send")
          .start(() -> {
            try {
              send(batch);
            } finally {
              senders.release();
            }
          });
      handed += batch.size();
    }
    return sendFailed.getAndSet(false) ? -1 : handed;
  }

  /**
   * {@link #dispatch()}, then waits until every batch on its way has been answered.
   *
   * @return the number of completions delivered, or -1 if the server could not be reached
   */
  int flush() {
    int handed = dispatch();
    senders.acquireUninterruptibly(MAX_IN_FLIGHT);
    senders.release(MAX_IN_FLIGHT);
    return sendFailed.getAndSet(false) ? -1 : handed;
  }

  /** Sends the queued log chunks; false (they are kept to be sent again) if that failed. */
  private boolean sendLogs() {
    try {
      while (true) {
        if (pendingChunks.isEmpty()) {
          pendingChunks = drain(chunks);
        }
        if (pendingChunks.isEmpty()) {
          return true;
        }
        protocol.appendLogs(workerId, pendingChunks);
        pendingChunks = List.of();
        reachable();
      }
    } catch (RuntimeException e) {
      unreachable(e);
      return false;
    }
  }

  private void send(List<Completion> batch) {
    try {
      protocol.complete(workerId, batch);
      reachable();
    } catch (RuntimeException e) {
      completions.addAll(batch);
      sendFailed.set(true);
      unreachable(e);
    }
  }

  private void reachable() {
    if (failing) {
      failing = false;
      log.info("server reachable again worker={}", workerId);
    }
  }

  private void unreachable(RuntimeException e) {
    if (!failing) {
      failing = true;
      log.warn("cannot deliver results, retrying worker={}: {}", workerId, e.toString());
    }
  }

  private static <T> List<T> drain(ConcurrentLinkedQueue<T> queue) {
    List<T> batch = new ArrayList<>();
    T item;
    while (batch.size() < MAX_BATCH && (item = queue.poll()) != null) {
      batch.add(item);
    }
    return batch;
  }
}
