package dev.kairos.bench;

import dev.kairos.core.protocol.Capacity;
import dev.kairos.core.run.RunState;
import dev.kairos.core.spec.JobKey;
import dev.kairos.core.spec.JobManifestCodec;
import dev.kairos.server.KairosServer;
import dev.kairos.server.ServerConfig;
import dev.kairos.store.NewRun;
import dev.kairos.store.Store;
import dev.kairos.store.StoreFactory;
import dev.kairos.worker.Worker;
import dev.kairos.worker.WorkerConfig;
import dev.kairos.worker.http.HttpWorkerProtocol;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Dispatch under placement: N queued attempts of mixed sizes and priorities (10 jobs from 100m cpu
 * and 64Mi to 4 cpu and 4Gi, priorities 0 to 9, half of them spread over two clusters) drained by
 * 100 workers of mixed capacities in two clusters, each a real {@link Worker} polling over HTTP
 * with the worker token (the real protocol; their tasks are {@code empty}). Reports the dispatch
 * rate: attempts handed out, run and recorded per second.
 */
public final class DispatchBench {
  static final int WORKERS = 100;
  static final int JOBS = 10;

  private final BenchOptions options;
  private final PrintWriter out;
  private final Progress progress;

  public DispatchBench(BenchOptions options, PrintWriter out) {
    this.options = options;
    this.out = out;
    this.progress = Progress.to(out);
  }

  /** The figures of one store. */
  public record Report(String store, int attempts, int workers, double seconds) {
    public String format() {
      return String.format(
          Locale.ROOT,
          "%s: %,d attempts of mixed sizes and priorities, %d workers over HTTP: drained in %.1f s,"
              + " %,.0f attempts/s",
          store,
          attempts,
          workers,
          seconds,
          attempts / seconds);
    }
  }

  static String manifest(int i) {
    long cpu = 100L * (1 + i * 4); // 100m .. 3700m
    long memory = 64L << (i % 7); // 64Mi .. 4Gi
    String clusters =
        i % 2 == 0 ? "placement: {clusters: [{name: a, weight: 3}, {name: b, weight: 1}]}" : "";
    return """
    apiVersion: kairos.dev/v1
    kind: Job
    metadata: {name: mix-%d, namespace: bench}
    spec:
      priority: %d
      resources: {requests: {cpu: %dm, memory: %dMi}}
      %s
      task: {empty: {}}
    """
        .formatted(i, i, cpu, memory, clusters);
  }

  public Report run() throws Exception {
    Path dir = Files.createTempDirectory("kairos-bench-dispatch");
    try (ThroughputBench.BenchDatabase db = ThroughputBench.BenchDatabase.create(options, dir)) {
      Store store = StoreFactory.open(db.config());
      KairosServer server =
          new KairosServer(ServerConfig.defaults(dir).withPort(0), store, Clock.systemUTC());
      List<Worker> workers = new ArrayList<>();
      try {
        server.start();
        for (int i = 0; i < JOBS; i++) {
          server.jobs().apply(JobManifestCodec.parseYaml(manifest(i)));
        }
        int n = options.runs();
        enqueue(store, n);
        db.settle();
        String token = Files.readString(dir.resolve("worker.token")).trim();
        Random random = new Random(1);
        long start = System.nanoTime();
        for (int i = 0; i < WORKERS; i++) {
          int cpus = 2 << random.nextInt(4); // 2 .. 16
          Capacity capacity =
              Capacity.parse(
                  "cpu=" + cpus + ",memory=" + (cpus * 2) + "Gi,slots=" + (16 << random.nextInt(3)),
                  null);
          WorkerConfig config =
              WorkerConfig.defaults()
                  .withCapacity(capacity)
                  .withCluster(i % 4 == 0 ? "b" : "a")
                  .withWorkRoot(dir.resolve("w"));
          Worker w = new Worker(config, new HttpWorkerProtocol(List.of(server.url()), token));
          w.start();
          workers.add(w);
        }
        out.printf("dispatch: %d workers started%n", WORKERS);
        awaitDrained(store, n, start);
        double seconds = (System.nanoTime() - start) / 1e9;
        progress.end();
        return new Report(options.store(), n, WORKERS, seconds);
      } finally {
        workers.forEach(w -> w.stop(Duration.ofSeconds(5)));
        server.close();
        store.close();
      }
    }
  }

  private void enqueue(Store store, int n) {
    out.printf("dispatch: enqueue %,d runs over %d jobs%n", n, JOBS);
    List<NewRun> batch = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      batch.add(NewRun.manual(new JobKey("bench", "mix-" + (i % JOBS)), null));
      if (batch.size() == 500 || i == n - 1) {
        store.createRuns(batch, Instant.now());
        batch.clear();
      }
    }
  }

  private void awaitDrained(Store store, int n, long start) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
    while (true) {
      long done = 0;
      for (int i = 0; i < JOBS; i++) {
        done += store.countRuns(new JobKey("bench", "mix-" + i), RunState.SUCCEEDED);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      progress.show(
          String.format(Locale.ROOT, "succeeded %,d / %,d  %,.0f/s", done, n, done / seconds));
      if (done >= n) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("dispatch bench: " + done + " of " + n + " in 10 minutes");
      }
      Thread.sleep(1_000);
    }
  }
}
