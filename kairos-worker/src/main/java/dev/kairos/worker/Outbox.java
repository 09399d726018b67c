package dev.kairos.worker;

import dev.kairos.core.protocol.Completion;
import dev.kairos.core.protocol.LogChunk;
import dev.kairos.core.protocol.WorkerProtocol;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the worker owes the server: log chunks and completions, sent in batches (logs first, so a
 * finished run's output is there when its end is). A failed send is retried with back-off and
 * nothing is dropped; the server ignores duplicates (chunks by seq, completions by lease).
 */
final class Outbox {
  private static final Logger log = LoggerFactory.getLogger(Outbox.class);
  private static final int MAX_BATCH = 1_000;

  private final WorkerProtocol protocol;
  private final String workerId;
  private final ConcurrentLinkedQueue<LogChunk> chunks = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Completion> completions = new ConcurrentLinkedQueue<>();
  private List<LogChunk> pendingChunks = List.of();
  private List<Completion> pendingCompletions = List.of();
  private boolean failing;

  Outbox(WorkerProtocol protocol, String workerId) {
    this.protocol = protocol;
    this.workerId = workerId;
  }

  void add(LogChunk chunk) {
    chunks.add(chunk);
  }

  void add(Completion completion) {
    completions.add(completion);
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
          pendingChunks = drain(chunks);
        }
        if (pendingChunks.isEmpty()) {
          break;
        }
        protocol.appendLogs(workerId, pendingChunks);
        pendingChunks = List.of();
      }
      int delivered = 0;
      while (true) {
        if (pendingCompletions.isEmpty()) {
          pendingCompletions = drain(completions);
        }
        if (pendingCompletions.isEmpty()) {
          break;
        }
        protocol.complete(workerId, pendingCompletions);
        delivered += pendingCompletions.size();
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

  private static <T> List<T> drain(ConcurrentLinkedQueue<T> queue) {
    List<T> batch = new ArrayList<>();
    T item;
    while (batch.size() < MAX_BATCH && (item = queue.poll()) != null) {
      batch.add(item);
    }
    return batch;
  }
}
