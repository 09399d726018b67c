package dev.kairos.worker;

import dev.kairos.core.protocol.Allocation;
import dev.kairos.core.protocol.Assignment;
import dev.kairos.core.protocol.Completion;
import dev.kairos.core.protocol.HeartbeatReply;
import dev.kairos.core.protocol.Lease;
import dev.kairos.core.protocol.PollReply;
import dev.kairos.core.protocol.PollRequest;
import dev.kairos.core.protocol.WorkerProtocol;
import dev.kairos.core.run.AttemptState;
import dev.kairos.worker.contain.Containment;
import dev.kairos.worker.empty.EmptyExecutor;
import dev.kairos.worker.executor.ExecutionContext;
import dev.kairos.worker.executor.Executor;
import dev.kairos.worker.executor.LogBuffer;
import dev.kairos.worker.executor.Outcome;
import dev.kairos.worker.httptask.HttpExecutor;
import dev.kairos.worker.limits.LimitEnforcer;
import dev.kairos.worker.shell.ShellExecutor;
import dev.kairos.worker.shell.TaskEnvironment;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The worker agent: long-polls for attempts (never more than its free slots), runs each on a
 * virtual thread, renews their leases in one heartbeat call, and sends logs and completions in
 * batches. An attempt it gives up (its lease lost, or about to run out unrenewed: {@link
 * LeaseWatch}; the worker stopping) is killed at once, before it could be retried elsewhere.
 * Written against {@link WorkerProtocol} only, so it runs the same in process and over HTTP.
 */
public final class Worker {
  private static final Logger log = LoggerFactory.getLogger(Worker.class);
  private static final long LOG_FLUSH_MILLIS = 200;
  private static final long MAX_BACKOFF_MILLIS = 5_000;
  private static final Duration SETTLE_QUIET = Duration.ofMillis(1);

  private final WorkerConfig config;
  private final WorkerProtocol protocol;
  private final Map<String, Executor> executors;
  private final Semaphore slots;
  private final Allocation capacity;

  /** Attempts that have ended, counted; waited on when the next attempt waits for capacity. */
  private final java.util.concurrent.atomic.AtomicLong ended =
      new java.util.concurrent.atomic.AtomicLong();

  /** The requests of the attempts it runs, summed: never more than {@link #capacity}. */
  private final AtomicReference<Allocation> reserved = new AtomicReference<>(Allocation.NONE);

  private final Outbox outbox;
  private final HeartbeatPace heartbeat;
  private final LeaseWatch leases;
  private final Map<Long, Running> running = new ConcurrentHashMap<>();
  private volatile boolean polling;
  private volatile boolean stopped;
  private Thread poller;
  private Thread heartbeater;
  private Thread flusher;

  /** An attempt in progress. */
  private record Running(
      Assignment assignment,
      ExecutionContext ctx,
      java.util.concurrent.atomic.AtomicBoolean lost,
      Allocation requests) {}

  public Worker(WorkerConfig config, WorkerProtocol protocol) {
    this(config, protocol, TaskEnvironment.ofWorker(config.passEnv()));
  }

  private Worker(WorkerConfig config, WorkerProtocol protocol, TaskEnvironment environment) {
    this(
        config,
        protocol,
        List.of(
            new ShellExecutor(
                config.killGrace(),
                LimitEnforcer.detect(config.workerId()),
                Containment.start(config.stateDir()),
                environment),
            new EmptyExecutor(),
            HttpExecutor.fromEnvironment(environment)));
  }

  public Worker(WorkerConfig config, WorkerProtocol protocol, List<Executor> executors) {
    this.config = config;
    this.protocol = protocol;
    this.executors = new ConcurrentHashMap<>();
    executors.forEach(e -> this.executors.put(e.type(), e));
    this.slots = new Semaphore(config.slots());
    this.capacity = Allocation.of(config.declaration().capacity());
    this.outbox = new Outbox(protocol, config.workerId());
    this.heartbeat = new HeartbeatPace(config.workerId(), config.heartbeatInterval());
    this.leases = new LeaseWatch(heartbeat::lease, System::nanoTime, this::leaseRunningOut);
  }

  public synchronized void start() {
    if (poller != null) {
      return;
    }
    polling = true;
    protocol.identify(config.declaration());
    poller = Thread.ofPlatform().name("kairos-worker-poll").daemon(true).start(this::pollLoop);
    heartbeater =
        Thread.ofPlatform().name("kairos-worker-heartbeat").daemon(true).start(this::heartbeatLoop);
    flusher = Thread.ofPlatform().name("kairos-worker-flush").daemon(true).start(this::flushLoop);
    leases.start();
    log.info(
        "worker started worker={} pool={} cluster={} labels={} capacity={}",
        config.workerId(),
        config.pool(),
        config.declaration().cluster(),
        config.declaration().labels(),
        config.declaration().capacity());
  }

  /** {@link #stop(Duration)} with the configured {@code shutdownGrace}. */
  public void stop() {
    stop(config.shutdownGrace());
  }

  /**
   * Stops polling, lets running attempts finish within {@code grace}, kills the rest without
   * reporting them (the server retries them when their leases lapse), then delivers what is still
   * owed.
   */
  public void stop(Duration grace) {
    polling = false;
    if (poller == null) {
      executors.values().forEach(Executor::close); // never started: nothing else to stop
      return;
    }
    poller.interrupt();
    long deadline = System.nanoTime() + grace.toNanos();
    while (!running.isEmpty() && System.nanoTime() < deadline) {
      sleep(20);
    }
    // not finished in time: kill them without reporting, and give them back to be queued again once
    // their processes are gone, so that a retry never runs beside them
    List<Lease> unfinished = running.values().stream().map(r -> r.assignment().lease()).toList();
    running
        .values()
        .forEach(r -> {
          r.lost().set(true);
          r.ctx().abandon();
        });
    long killed = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!running.isEmpty() && System.nanoTime() < killed) {
      sleep(5);
    }
    if (!unfinished.isEmpty()) {
      try {
        protocol.release(config.workerId(), unfinished);
        log.info(
            "released unfinished attempts worker={} count={}",
            config.workerId(),
            unfinished.size());
      } catch (RuntimeException e) {
        log.warn(
            "could not release attempts, they will be retried when their leases expire: {}",
            e.toString());
      }
    }
    long drain = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while ((!running.isEmpty() || !outbox.empty()) && System.nanoTime() < drain) {
      sleep(20);
    }
    stopped = true;
    heartbeater.interrupt();
    flusher.interrupt();
    join(poller);
    join(heartbeater);
    join(flusher);
    leases.stop();
    executors.values().forEach(Executor::close);
  }

  /** Attempts running now. */
  public int running() {
    return running.size();
  }

  public String workerId() {
    return config.workerId();
  }

  private void pollLoop() {
    long backoff = 100;
    boolean failing = false;
    while (polling) {
      try {
        heartbeat.refreshIfStale(protocol);
        slots.acquire();
        int free = slots.availablePermits() + 1;
        long endedBefore = ended.get();
        PollReply reply;
        try {
          reply =
              protocol.poll(
                  new PollRequest(
                      config.declaration(),
                      free,
                      config.pollWait().toMillis(),
                      capacity.minus(reserved.get())));
        } finally {
          slots.release();
        }
        // their leases were taken a moment before the answer came: they count from here
        long received = System.nanoTime();
        reply.assignments().forEach(a -> admit(a, received));
        if (reply.waitForCapacity()) {
          // the next attempt needs more than is free: poll again once one of ours has ended
          awaitEnded(endedBefore, config.pollWait().toMillis());
        }
        if (failing) {
          log.info("server reachable again worker={}", config.workerId());
          failing = false;
        }
        backoff = 100;
      } catch (InterruptedException e) {
        break;
      } catch (RuntimeException e) {
        if (!failing) {
          log.warn("poll failed, retrying worker={}: {}", config.workerId(), e.toString());
          failing = true;
        }
        heartbeat.markStale();
        sleep(backoff);
        backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
      }
    }
  }

  /**
   * Runs an attempt it was handed if a slot is free and its requests fit what the running ones
   * leave of the capacity; gives it back otherwise (a server that handed out too much), so that the
   * sum of running requests never exceeds the capacity.
   */
  private void admit(Assignment a, long receivedNanos) {
    Allocation requests = Allocation.requestedBy(a.task().resources());
    Allocation before =
        reserved.getAndUpdate(r -> requests.fits(capacity.minus(r)) ? r.plus(requests) : r);
    if (!requests.fits(capacity.minus(before)) || !slots.tryAcquire()) {
      if (requests.fits(capacity.minus(before))) {
        reserved.updateAndGet(r -> r.minus(requests));
      }
      log.warn(
          "handed an attempt that does not fit, giving it back attempt={} requests={} free={}",
          a.attemptId(),
          requests,
          capacity.minus(before));
      try {
        protocol.release(config.workerId(), List.of(a.lease()));
      } catch (RuntimeException e) {
        log.warn("could not give it back, it is retried when its lease expires: {}", e.toString());
      }
      return;
    }
    launch(a, requests, receivedNanos);
  }

  /** Waits until an attempt ends after {@code seen} were counted, at most {@code millis}. */
  private void awaitEnded(long seen, long millis) throws InterruptedException {
    long deadline = System.nanoTime() + millis * 1_000_000L;
    synchronized (ended) {
      while (ended.get() == seen && polling) {
        long left = (deadline - System.nanoTime()) / 1_000_000L;
        if (left <= 0) {
          return;
        }
        ended.wait(left);
      }
    }
  }

  private void launch(Assignment a, Allocation requests, long receivedNanos) {
    long startAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(a.startDelayMillis());
    LogBuffer logBuffer =
        new LogBuffer(a.attemptId(), a.fence(), config.logCapBytes(), outbox::add);
    ExecutionContext ctx = new ExecutionContext(env(a), logBuffer, config.workRoot());
    Running r = new Running(a, ctx, new java.util.concurrent.atomic.AtomicBoolean(), requests);
    running.put(a.attemptId(), r);
    leases.held(a.attemptId(), receivedNanos);
    Thread.ofVirtual().name("attempt-" + a.attemptId()).start(() -> execute(r, startAt));
  }

  /**
   * Waits until the attempt is due (it was handed out a moment early, see {@link
   * Assignment#startDelayMillis()}). False if it was cancelled, or its lease lost, meanwhile.
   */
  private static boolean awaitStart(ExecutionContext ctx, long startAt)
      throws InterruptedException {
    long wait = startAt - System.nanoTime();
    if (wait > 0) {
      CountDownLatch cancelled = new CountDownLatch(1);
      ctx.onCancel(cancelled::countDown);
      cancelled.await(wait, TimeUnit.NANOSECONDS);
    }
    return !ctx.cancelled();
  }

  private static Map<String, String> env(Assignment a) {
    Map<String, String> env = new java.util.HashMap<>();
    env.put("KAIROS_JOB", a.namespace() + "/" + a.job());
    env.put("KAIROS_NAMESPACE", a.namespace());
    env.put("KAIROS_RUN_ID", String.valueOf(a.runId()));
    env.put("KAIROS_TASK", a.task().name());
    env.put("KAIROS_ATTEMPT", String.valueOf(a.attempt()));
    env.put("KAIROS_ATTEMPT_ID", String.valueOf(a.attemptId()));
    env.put("KAIROS_IDEMPOTENCY_KEY", a.idempotencyKey());
    if (a.fireTime() != null) {
      // the fire this run is for (a backfill's past one, too): what Airflow calls the logical date
      env.put("KAIROS_FIRE_TIME", a.fireTime().toString());
    }
    if (a.event() != null) {
      EventEnv.put(a.event(), env);
    }
    return env;
  }

  private void execute(Running r, long startAt) {
    Assignment a = r.assignment();
    // every log line about this attempt, here and in its executor, carries its ids (JSON logs)
    MDC.put("run", String.valueOf(a.runId()));
    MDC.put("attempt", String.valueOf(a.attemptId()));
    MDC.put("job", a.namespace() + "/" + a.job());
    MDC.put("task", a.task().name());
    try {
      executeInContext(r, startAt);
    } finally {
      MDC.clear();
    }
  }

  private void executeInContext(Running r, long startAt) {
    Assignment a = r.assignment();
    Completion completion;
    try {
      Executor executor = executors.get(a.task().executor().type());
      Outcome outcome;
      if (!awaitStart(r.ctx(), startAt)) {
        outcome = new Outcome.Cancelled("cancelled before it started");
      } else if (executor == null) {
        outcome =
            new Outcome.Failed(
                null, "this worker has no " + a.task().executor().type() + " executor");
      } else {
        outcome = executor.execute(a, r.ctx());
      }
      completion = completion(a.attemptId(), outcome);
    } catch (InterruptedException e) {
      completion = new Completion(a.attemptId(), AttemptState.CANCELLED, null, "worker stopping");
    } catch (RuntimeException e) {
      log.warn("attempt failed in the executor attempt={} run={}", a.attemptId(), a.runId(), e);
      completion = new Completion(a.attemptId(), AttemptState.FAILED, null, "executor error: " + e);
    }
    if (completion.outcome() != AttemptState.SUCCEEDED) {
      // successes are the hot path and need no line; the error may quote the task's output, which
      // is the task's log, not the operator's
      log.info("attempt ended state={} exitCode={}", completion.outcome(), completion.exitCode());
    }
    r.ctx().log().flush();
    if (!r.lost().get()) {
      outbox.add(completion.fenced(a.fence()));
    }
    leases.forget(a.attemptId());
    running.remove(a.attemptId());
    reserved.updateAndGet(x -> x.minus(r.requests()));
    slots.release();
    synchronized (ended) {
      ended.incrementAndGet();
      ended.notifyAll();
    }
  }

  static Completion completion(long attemptId, Outcome outcome) {
    return switch (outcome) {
      case Outcome.Succeeded s ->
          new Completion(attemptId, AttemptState.SUCCEEDED, 0, null, s.outputs());
      case Outcome.Failed f ->
          new Completion(attemptId, AttemptState.FAILED, f.exitCode(), f.error());
      case Outcome.Rejected r -> Completion.permanentFailure(attemptId, r.code(), r.error());
      case Outcome.TimedOut t -> new Completion(attemptId, AttemptState.TIMED_OUT, null, t.error());
      case Outcome.OomKilled o ->
          new Completion(attemptId, AttemptState.OOM_KILLED, null, o.error());
      case Outcome.Cancelled c ->
          new Completion(attemptId, AttemptState.CANCELLED, null, c.error());
    };
  }

  private void heartbeatLoop() {
    long lastBeat = System.nanoTime();
    while (!stopped) {
      try {
        heartbeat.awaitNext(lastBeat);
      } catch (InterruptedException e) {
        continue;
      }
      lastBeat = System.nanoTime();
      if (stopped) {
        continue;
      }
      // idle too: a heartbeat is how the server knows the worker is alive (its cluster keeps its
      // runs); renewing no lease costs one small call
      try {
        // and those ended whose outcomes are still owed: held until the server has them
        Set<Lease> held = new HashSet<>(outbox.owed());
        running.values().forEach(r -> held.add(r.assignment().lease()));
        long sent = System.nanoTime();
        HeartbeatReply reply = protocol.heartbeat(config.workerId(), List.copyOf(held));
        leases.renewed(held.stream().map(Lease::attemptId).toList(), sent);
        for (long id : reply.lost()) {
          Running r = running.get(id);
          if (r != null) {
            log.warn("lease lost, killing attempt={} run={}", id, r.assignment().runId());
            r.lost().set(true);
            r.ctx().abandon();
          }
        }
        for (long id : reply.cancel()) {
          Running r = running.get(id);
          if (r != null) {
            r.ctx().cancel();
          }
        }
      } catch (RuntimeException e) {
        log.warn("heartbeat failed worker={}: {}", config.workerId(), e.toString());
      }
    }
  }

  /**
   * The lease of an attempt could not be renewed and is about to run out: the server will soon take
   * it for lost and may retry it elsewhere. Kill it now, and do not report it: the server decides
   * its outcome (LOST, or what a late heartbeat finds).
   */
  private void leaseRunningOut(long attemptId) {
    Running r = running.get(attemptId);
    if (r != null && !r.lost().getAndSet(true)) {
      log.warn(
          "lease not renewed and about to run out, killing attempt={} run={} lease={}",
          attemptId,
          r.assignment().runId(),
          heartbeat.lease());
      r.ctx().abandon();
    }
  }

  /**
   * Sends completions soon after they are made: it wakes on a completion, lets a burst of them
   * settle ({@link #SETTLE_QUIET} apart, at most {@code flushInterval}) and sends them in one call;
   * log chunks go at least every {@link #LOG_FLUSH_MILLIS}. After a failed send it backs off.
   */
  private void flushLoop() {
    long backoff = 0;
    Duration quiet =
        SETTLE_QUIET.compareTo(config.flushInterval()) < 0 ? SETTLE_QUIET : config.flushInterval();
    while (!stopped) {
      try {
        if (backoff > 0) {
          Thread.sleep(backoff);
        } else {
          outbox.awaitCompletion(LOG_FLUSH_MILLIS);
          outbox.settle(quiet, config.flushInterval());
        }
      } catch (InterruptedException e) {
        continue; // stop() interrupts: the loop ends, then what is owed goes once more
      }
      for (Running r : running.values()) {
        r.ctx().log().flushIfOlderThan(LOG_FLUSH_MILLIS);
      }
      backoff = outbox.flush() < 0 ? Math.min(MAX_BACKOFF_MILLIS, Math.max(100, backoff * 2)) : 0;
    }
    outbox.flush();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void join(Thread t) {
    try {
      t.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
