package dev.kairos.bench;

import dev.kairos.core.protocol.Assignment;
import dev.kairos.core.protocol.Completion;
import dev.kairos.core.run.AttemptState;
import dev.kairos.core.spec.JobKey;
import dev.kairos.core.spec.JobManifest;
import dev.kairos.core.spec.JobManifestCodec;
import dev.kairos.server.KairosServer;
import dev.kairos.server.ServerConfig;
import dev.kairos.store.Claim;
import dev.kairos.store.NewRun;
import dev.kairos.store.Store;
import dev.kairos.store.StoreFactory;
import dev.kairos.worker.Worker;
import dev.kairos.worker.WorkerConfig;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/** The drain part of {@link RetentionBench}: one drain of N runs, with or without the duty. */
final class RetentionDrain {
  private static final JobKey DRAIN_JOB = new JobKey("bench", "drain");

  /** Ended runs of the drain job past its history when the server starts. */
  static final int BACKLOG = 30_000;

  private final BenchOptions options;
  private final PrintWriter out;

  RetentionDrain(BenchOptions options, PrintWriter out) {
    this.options = options;
    this.out = out;
  }

  static WorkerConfig workerConfig(BenchOptions options, Path dir) {
    return WorkerConfig.defaults().withSlots(options.slots()).withWorkRoot(dir.resolve("work"));
  }

  /**
   * Drains N runs after a warm-up, on a fresh schema, with or without the retention duty (at its
   * default interval). Before the server starts, the job is given {@value #BACKLOG} ended runs past
   * its history, as after an upgrade or an outage: with the duty on, its first look finds them and
   * it deletes them a batch after another through the warm-up and the drain, at its full allowed
   * pace. Returns the drain rate and the runs the duty deleted during the drain.
   */
  double[] run(boolean retention) throws Exception {
    Path dir = Files.createTempDirectory("kairos-bench");
    try (PostgresSchema db = PostgresSchema.create(options.pgUrl())) {
      Store store = StoreFactory.open(db.config());
      JobManifest job =
          JobManifestCodec.parseYaml(
              """
              apiVersion: kairos.dev/v1
              kind: Job
              metadata: {name: drain, namespace: bench}
              spec:
                history: {successfulRuns: 100, failedRuns: 100}
                task: {empty: {}}
              """);
      store.applyJob(job, JobManifestCodec.toJson(job), null, Instant.now());
      out.printf("drain, retention duty %s:%n", retention ? "on" : "off");
      backlog(store, BACKLOG);
      ServerConfig config =
          ServerConfig.defaults(dir)
              .withPort(0)
              .withRetention(retention ? ServerConfig.DEFAULT_RETENTION : null);
      KairosServer server = new KairosServer(config, store, Clock.systemUTC());
      try {
        server.start();
        int warm = options.warmupRuns();
        enqueue(store, warm);
        runWorker(server, dir, warm);
        enqueue(store, options.runs());
        db.settle();
        long before = count(db);
        long start = System.nanoTime();
        runWorker(server, dir, warm + options.runs());
        double seconds = (System.nanoTime() - start) / 1e9;
        long deleted = before - count(db);
        double rate = options.runs() / seconds;
        out.printf("  %,.0f runs/s, %,d runs deleted meanwhile%n", rate, deleted);
        return new double[] {rate, deleted};
      } finally {
        server.close();
        store.close();
      }
    }
  }

  /** {@code n} runs of the drain job that ran and succeeded, recorded through the store. */
  private static void backlog(Store store, int n) {
    RandomGenerator random = RandomGenerator.of("L64X128MixRandom");
    enqueue(store, n);
    List<Assignment> claimed;
    while (!(claimed =
            store.claimAttempts(
                Claim.any("default", "backlog", 1_000),
                Instant.now(),
                Duration.ZERO,
                Duration.ofMinutes(5)))
        .isEmpty()) {
      List<Completion> done = new ArrayList<>();
      for (Assignment a : claimed) {
        done.add(new Completion(a.attemptId(), AttemptState.SUCCEEDED, 0, null).fenced(a.fence()));
      }
      store.completeAttempts("backlog", done, Instant.now(), random);
    }
  }

  private static void enqueue(Store store, int n) {
    for (int done = 0; done < n; done += 1_000) {
      List<NewRun> batch = new ArrayList<>();
      for (int i = done; i < Math.min(n, done + 1_000); i++) {
        batch.add(NewRun.manual(DRAIN_JOB, null));
      }
      store.createRuns(batch, Instant.now());
    }
  }

  /** Runs a local worker until the server has recorded {@code total} completions in all. */
  private void runWorker(KairosServer server, Path dir, long total) throws InterruptedException {
    Worker worker = new Worker(workerConfig(options, dir), server.workerProtocol());
    worker.start();
    try {
      long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
      while (server.acceptedCompletions() < total) {
        Thread.sleep(5);
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the drain did not finish in 10 minutes");
        }
      }
    } finally {
      worker.stop(Duration.ofSeconds(5));
    }
  }

  private static long count(PostgresSchema db) throws Exception {
    try (Connection c = DriverManager.getConnection(db.config().jdbcUrl());
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM runs")) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
