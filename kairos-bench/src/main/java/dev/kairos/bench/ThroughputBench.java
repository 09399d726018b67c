package dev.kairos.bench;

import dev.kairos.core.run.RunState;
import dev.kairos.core.spec.JobKey;
import dev.kairos.core.spec.JobManifestCodec;
import dev.kairos.server.KairosServer;
import dev.kairos.server.ServerConfig;
import dev.kairos.store.NewRun;
import dev.kairos.store.RunQuery;
import dev.kairos.store.RunRecord;
import dev.kairos.store.Store;
import dev.kairos.store.StoreConfig;
import dev.kairos.store.StoreFactory;
import dev.kairos.worker.Worker;
import dev.kairos.worker.WorkerConfig;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * After a warm-up ({@link BenchOptions#warmupRuns()}), enqueues N no-op ({@code empty}) runs and
 * drains them with one server and one worker, then measures start latency at a steady submission
 * rate. Everything goes through the real store, dispatcher and worker. The worker is the server's
 * local one (no HTTP hop), or a {@code kairos worker} process of its own that polls, heartbeats and
 * reports over HTTP.
 */
public final class ThroughputBench {
  private static final int ENQUEUE_BATCH = 1_000;
  private static final JobKey JOB = new JobKey("bench", "noop");
  private static final String MANIFEST =
      """
      apiVersion: kairos.dev/v1
      kind: Job
      metadata: {name: noop, namespace: bench}
      spec:
        task: {empty: {}}
      """;

  private final BenchOptions options;
  private final PrintWriter out;
  private final Progress progress;
  private final List<String> remoteWorker;

  /** Runs that the warm-up completed: the measured phases count from there. */
  private long warmedUp;

  /** With the server's local worker. */
  public ThroughputBench(BenchOptions options, PrintWriter out) {
    this(options, out, null);
  }

  /**
   * @param remoteWorker the command that runs {@code kairos worker} (e.g. {@code java -jar
   *     kairos.jar worker}), to drain with a worker process over HTTP; null for the local worker
   */
  public ThroughputBench(BenchOptions options, PrintWriter out, List<String> remoteWorker) {
    this.options = options;
    this.out = out;
    this.progress = Progress.to(out);
    this.remoteWorker = remoteWorker == null ? null : List.copyOf(remoteWorker);
  }

  /** Which worker drained: for the report. */
  public String workerKind() {
    return remoteWorker == null ? "local worker" : "remote worker process";
  }

  public BenchReport run() throws Exception {
    Path dir = Files.createTempDirectory("kairos-bench");
    try (BenchDatabase db = BenchDatabase.create(options, dir)) {
      Store store = StoreFactory.open(db.config());
      ServerConfig config = ServerConfig.defaults(dir).withPort(0);
      KairosServer server = new KairosServer(config, store, Clock.systemUTC());
      try {
        server.start();
        server.jobs().apply(JobManifestCodec.parseYaml(MANIFEST));
        warmUp(store, server, dir);
        double enqueueRate = enqueue(store, options.runs());
        db.settle();
        double drainRate;
        double[] latency;
        AutoCloseable worker = startWorker(server, dir);
        try {
          drainRate = drain(store, server, options.runs());
          latency = latency(store, server);
        } finally {
          worker.close();
        }
        return new BenchReport(
            options.store(),
            workerKind(),
            options.runs(),
            enqueueRate,
            drainRate,
            options.latencyRate(),
            latency[0],
            latency[1]);
      } finally {
        server.close();
        store.close();
      }
    }
  }

  /**
   * Enqueues and drains {@link BenchOptions#warmupRuns()} runs with the local worker, unmeasured
   * (see there). A remote worker process of the measured drain starts afterwards, cold.
   */
  private void warmUp(Store store, KairosServer server, Path dir) throws InterruptedException {
    int n = options.warmupRuns();
    if (n == 0) {
      return;
    }
    out.printf("warm-up (not measured): %,d runs, local worker%n", n);
    List<NewRun> batch = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      batch.add(NewRun.manual(JOB, null));
      if (batch.size() == ENQUEUE_BATCH || i == n - 1) {
        store.createRuns(batch, Instant.now());
        batch.clear();
      }
    }
    Worker worker = newWorker(server, dir);
    worker.start();
    try {
      awaitSucceeded(store, server, n, System.nanoTime());
    } finally {
      worker.stop(Duration.ofSeconds(5));
    }
    warmedUp = n;
    progress.end();
  }

  private Worker newWorker(KairosServer server, Path dir) {
    WorkerConfig config =
        WorkerConfig.defaults().withSlots(options.slots()).withWorkRoot(dir.resolve("work"));
    return new Worker(config, server.workerProtocol());
  }

  private double enqueue(Store store, int n) {
    out.printf("enqueue: %,d runs in batches of %,d%n", n, ENQUEUE_BATCH);
    long start = System.nanoTime();
    int done = 0;
    while (done < n) {
      int size = Math.min(ENQUEUE_BATCH, n - done);
      List<NewRun> batch = new ArrayList<>(size);
      for (int i = 0; i < size; i++) {
        batch.add(NewRun.manual(JOB, null));
      }
      store.createRuns(batch, Instant.now());
      done += size;
      show("enqueued", done, n, start);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    progress.end();
    out.printf("enqueue: %,.0f runs/s%n", n / seconds);
    return n / seconds;
  }

  /** The local worker, or a worker process; closing it stops it. */
  private AutoCloseable startWorker(KairosServer server, Path dir) throws Exception {
    if (remoteWorker == null) {
      Worker worker = newWorker(server, dir);
      worker.start();
      return () -> worker.stop(Duration.ofSeconds(5));
    }
    Process process = startWorkerProcess(server, dir);
    return () -> {
      process.destroy();
      process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
    };
  }

  /** A {@code kairos worker} process serving the server over HTTP with the worker token. */
  private Process startWorkerProcess(KairosServer server, Path dir) throws Exception {
    List<String> command = new ArrayList<>(remoteWorker);
    command.addAll(
        List.of(
            "--server",
            server.url(),
            "--token-file",
            dir.resolve("worker.token").toString(),
            "--slots",
            String.valueOf(options.slots()),
            "--work-dir",
            dir.resolve("work").toString()));
    Path log = dir.resolve("worker.log");
    out.printf("worker process: %s (log %s)%n", String.join(" ", command), log);
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }

  /**
   * Drains the queue, watching the server's count of recorded completions (free to read, so the
   * measurement does not load the database), whichever worker runs it; then confirms from the store
   * that every run is SUCCEEDED.
   */
  private double drain(Store store, KairosServer server, int n) throws InterruptedException {
    out.printf("drain: one server + %s (%d slots)%n", workerKind(), options.slots());
    long start = System.nanoTime();
    long succeeded = awaitSucceeded(store, server, n, start);
    double seconds = (System.nanoTime() - start) / 1e9;
    progress.end();
    out.printf("drain: %,.0f runs/s (%,d runs SUCCEEDED in the store)%n", n / seconds, succeeded);
    return n / seconds;
  }

  /**
   * Waits until {@code n} more runs than the warm-up's have completed, watching the server's count
   * of recorded completions (free to read, so the wait does not load the database), whichever
   * worker runs them; then confirms from the store that they are SUCCEEDED. Returns how many runs
   * of this phase are.
   */
  private long awaitSucceeded(Store store, KairosServer server, int n, long start)
      throws InterruptedException {
    long deadline = start + Duration.ofMinutes(10).toNanos();
    while (server.acceptedCompletions() - warmedUp < n) {
      Thread.sleep(10);
      show("executed", (int) (server.acceptedCompletions() - warmedUp), n, start);
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "drain did not finish in 10 minutes: " + (server.acceptedCompletions() - warmedUp));
      }
    }
    long succeeded;
    // the count scans the job's runs: ask rarely, the last completions are in flight anyway
    while ((succeeded = store.countRuns(JOB, RunState.SUCCEEDED) - warmedUp) < n) {
      Thread.sleep(50);
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("only " + succeeded + " of " + n + " runs SUCCEEDED");
      }
    }
    return succeeded;
  }

  /** Submits runs at a steady rate while the worker runs; returns p50 and p99 start latency. */
  private double[] latency(Store store, KairosServer server) throws InterruptedException {
    int n = options.latencyRuns();
    int perTick = Math.max(1, options.latencyRate() / 100);
    out.printf("latency: %,d runs at %,d/s%n", n, options.latencyRate());
    long firstId = Long.MAX_VALUE;
    long start = System.nanoTime();
    int submitted = 0;
    while (submitted < n) {
      int size = Math.min(perTick, n - submitted);
      for (int i = 0; i < size; i++) {
        RunRecord run = server.jobs().trigger(JOB, null).run();
        firstId = Math.min(firstId, run.id());
      }
      submitted += size;
      long due = start + (long) (submitted * 1e9 / options.latencyRate());
      long sleep = (due - System.nanoTime()) / 1_000_000;
      if (sleep > 0) {
        Thread.sleep(sleep);
      }
    }
    while (store.countRuns(JOB, RunState.SUCCEEDED) < warmedUp + options.runs() + n) {
      Thread.sleep(50);
    }
    double[] millis = startLatencies(store, firstId);
    Arrays.sort(millis);
    return new double[] {percentile(millis, 0.50), percentile(millis, 0.99)};
  }

  private static double[] startLatencies(Store store, long firstId) {
    List<Double> values = new ArrayList<>();
    Long before = null;
    while (true) {
      List<RunRecord> page = store.listRuns(new RunQuery(JOB, null, 1000, before));
      for (RunRecord r : page) {
        if (r.id() >= firstId && r.startedAt() != null) {
          values.add(Duration.between(r.createdAt(), r.startedAt()).toNanos() / 1e6);
        }
      }
      if (page.size() < 1000 || page.get(page.size() - 1).id() < firstId) {
        break;
      }
      before = page.get(page.size() - 1).id();
    }
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }

  static double percentile(double[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int index = (int) Math.ceil(p * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  private void show(String what, int done, int total, long startNanos) {
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    progress.show(
        String.format(
            "%s %,d / %,d (%3.0f%%)  %,.0f/s",
            what, done, total, 100.0 * done / total, seconds > 0 ? done / seconds : 0));
  }

  /** The database a benchmark runs on, created fresh and removed afterwards. */
  interface BenchDatabase extends AutoCloseable {
    StoreConfig config();

    /** Lets the database finish background write-back before a measured phase. */
    default void settle() {}

    @Override
    void close() throws Exception;

    static BenchDatabase create(BenchOptions options, Path dir) throws Exception {
      if (options.store().equals("sqlite")) {
        StoreConfig config = StoreConfig.sqlite(dir);
        return new BenchDatabase() {
          public StoreConfig config() {
            return config;
          }

          public void close() {}
        };
      }
      return PostgresSchema.create(options.pgUrl());
    }
  }
}
