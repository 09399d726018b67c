package dev.kairos.worker;

import dev.kairos.core.protocol.Assignment;
import dev.kairos.core.protocol.Completion;
import dev.kairos.core.protocol.HeartbeatReply;
import dev.kairos.core.protocol.Lease;
import dev.kairos.core.protocol.LeaseTerms;
import dev.kairos.core.protocol.LogChunk;
import dev.kairos.core.protocol.PollReply;
import dev.kairos.core.protocol.PollRequest;
import dev.kairos.core.protocol.WorkerProtocol;
import dev.kairos.core.spec.TaskSpec;
import dev.kairos.worker.http.WorkerProtocolException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An in-memory server side of the worker protocol: a queue of tasks, recorded calls, and switches
 * to simulate an unreachable server or leases taken away. A fake of the protocol, not of a store.
 */
final class FakeProtocol implements WorkerProtocol {
  final ConcurrentLinkedQueue<Assignment> queue = new ConcurrentLinkedQueue<>();
  final List<Completion> completed = new CopyOnWriteArrayList<>();
  final List<Integer> completeBatchSizes = new CopyOnWriteArrayList<>();

  /** The characters of log text in each logs call. */
  final List<Long> logBatchChars = new CopyOnWriteArrayList<>();

  final List<LogChunk> logs = new CopyOnWriteArrayList<>();
  final List<PollRequest> polls = new CopyOnWriteArrayList<>();
  volatile LeaseTerms terms = new LeaseTerms(Duration.ofSeconds(15), Duration.ofSeconds(5));
  volatile long termsDelayMillis;
  final List<Integer> heartbeatSizes = new CopyOnWriteArrayList<>();
  final List<Set<Long>> heartbeats = new CopyOnWriteArrayList<>();
  final Set<Long> cancel = ConcurrentHashMap.newKeySet();
  final Set<Long> lost = ConcurrentHashMap.newKeySet();
  final AtomicInteger failNextCompletes = new AtomicInteger();

  /** While set, every heartbeat fails as if the server could not be reached. */
  volatile boolean heartbeatsFail;

  /** When each heartbeat that got through was answered ({@link System#nanoTime()}). */
  final List<Long> heartbeatAnswered = new CopyOnWriteArrayList<>();

  /** Completions the server refuses (400) in any batch that holds them. */
  volatile java.util.function.Predicate<Completion> refuse = c -> false;

  /** Calls to complete that reach the server before it is unreachable (0 = always reachable). */
  volatile int unreachableAfter;

  private final AtomicInteger completeCalls = new AtomicInteger();

  private final AtomicLong ids = new AtomicLong();

  void add(TaskSpec task, int n) {
    for (int i = 0; i < n; i++) {
      long id = ids.incrementAndGet();
      queue.add(
          new Assignment(
              id, id, "default", "job", 1, task, "k/" + id, Instant.now().plusSeconds(60), 0));
    }
  }

  /** One attempt handed out {@code startDelayMillis} before it is due. */
  void addEarly(TaskSpec task, long startDelayMillis) {
    long id = ids.incrementAndGet();
    queue.add(
        new Assignment(
            id,
            id,
            "default",
            "job",
            1,
            task,
            "k/" + id,
            Instant.now().plusSeconds(60),
            startDelayMillis));
  }

  @Override
  public PollReply poll(PollRequest request) throws InterruptedException {
    polls.add(request);
    List<Assignment> out = new ArrayList<>();
    Assignment a;
    while (out.size() < request.max() && (a = queue.poll()) != null) {
      out.add(a);
    }
    if (out.isEmpty()) {
      Thread.sleep(Math.min(request.waitMillis(), 20));
    }
    return PollReply.of(out);
  }

  @Override
  public LeaseTerms leaseTerms() {
    try {
      Thread.sleep(termsDelayMillis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return terms;
  }

  @Override
  public HeartbeatReply heartbeat(String workerId, Collection<Lease> leases) {
    List<Long> attemptIds = leases.stream().map(Lease::attemptId).toList();
    if (heartbeatsFail) {
      throw new WorkerProtocolException("server unreachable (simulated)");
    }
    heartbeatAnswered.add(System.nanoTime());
    heartbeatSizes.add(attemptIds.size());
    heartbeats.add(Set.copyOf(attemptIds));
    return new HeartbeatReply(
        attemptIds.stream().filter(cancel::contains).collect(java.util.stream.Collectors.toSet()),
        attemptIds.stream().filter(lost::contains).collect(java.util.stream.Collectors.toSet()));
  }

  @Override
  public void complete(String workerId, List<Completion> completions) {
    if (failNextCompletes.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      throw new IllegalStateException("server unreachable (simulated)");
    }
    int call = completeCalls.incrementAndGet();
    if (unreachableAfter > 0 && call > unreachableAfter) {
      throw new WorkerProtocolException("server unreachable (simulated)");
    }
    if (completions.stream().anyMatch(refuse)) {
      throw new WorkerProtocolException("400: a completion is refused (simulated)", true);
    }
    completeBatchSizes.add(completions.size());
    completed.addAll(completions);
  }

  final List<Long> released = new CopyOnWriteArrayList<>();

  @Override
  public void release(String workerId, Collection<Lease> leases) {
    leases.forEach(l -> released.add(l.attemptId()));
  }

  @Override
  public void appendLogs(String workerId, List<LogChunk> chunks) {
    logBatchChars.add(chunks.stream().mapToLong(c -> c.text().length()).sum());
    logs.addAll(chunks);
  }
}
