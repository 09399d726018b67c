package dev.kairos.bench;

import dev.kairos.core.spec.JobManifestCodec;
import dev.kairos.server.KairosServer;
import dev.kairos.server.ServerConfig;
import dev.kairos.store.AuditEntry;
import dev.kairos.store.NewEvent;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Retention on PostgreSQL, one server with its local worker:
 *
 * <ul>
 *   <li>steady: {@code jobs} schedules firing every second (half keep a history of 10 runs of each
 *       kind, half keep the default and are bounded by the retention), {@value #NOISY} more that
 *       print a line and fail, and {@value #FEED_PER_SECOND} events and audit entries a second, for
 *       {@code duration}, with the retention shortened to {@value #STEADY_RETENTION_SECONDS} s and
 *       the dedup window to 10 s so that a short run reaches its steady state. The tables' rows and
 *       sizes are sampled as it goes: they should level off.
 *   <li>drain: N no-op runs of a job that keeps 100 are drained with the retention duty on (it
 *       deletes a backlog of {@value RetentionDrain#BACKLOG} runs past the job's history, a batch
 *       after another, as the drain goes) and with no retention duty at all, twice each (off, on,
 *       on, off) after one unmeasured, each on a fresh schema. The drain rates should be within
 *       10%.
 * </ul>
 */
public final class RetentionBench {
  static final int NOISY = 5;
  static final int FEED_PER_SECOND = 50;
  static final long STEADY_RETENTION_SECONDS = 30;
  private static final Duration INTERVAL = Duration.ofSeconds(5);
  private static final int SAMPLES = 6;
  private static final List<String> TABLES =
      List.of("runs", "attempts", "attempt_logs", "events", "audit_log", "run_events", "alerts");

  private final BenchOptions options;
  private final Duration duration;
  private final int jobs;
  private final PrintWriter out;

  public RetentionBench(BenchOptions options, Duration duration, int jobs, PrintWriter out) {
    this.options = options;
    this.duration = duration;
    this.jobs = jobs;
    this.out = out;
  }

  /** Rows and bytes (pg_total_relation_size) of each table at one time of the steady phase. */
  public record Sample(long seconds, Map<String, long[]> tables) {}

  /** The figures. */
  public record Report(
      int jobs,
      Duration duration,
      long runsCreated,
      List<Sample> samples,
      boolean vacuumed,
      int drainRuns,
      List<Double> drainOff,
      List<Double> drainOn,
      List<Long> deletedDuringDrain) {

    public String format() {
      StringBuilder sb = new StringBuilder();
      sb.append(
          String.format(
              Locale.ROOT,
              "postgres steady: %d schedules every second (+%d failing with a log line), %d events"
                  + " and %d audit entries/s, %d s; %,d runs created%n",
              jobs,
              NOISY,
              FEED_PER_SECOND,
              FEED_PER_SECOND,
              duration.toSeconds(),
              runsCreated));
      if (vacuumed) {
        sb.append("  (autovacuum off on this server: the bench ran VACUUM every 15 s)")
            .append(System.lineSeparator());
      }
      sb.append(String.format(Locale.ROOT, "  %-13s", "rows (kB) at"));
      for (Sample s : samples) {
        sb.append(String.format(Locale.ROOT, "%18s", s.seconds() + " s"));
      }
      sb.append(System.lineSeparator());
      for (String table : TABLES) {
        sb.append(String.format(Locale.ROOT, "  %-13s", table));
        for (Sample s : samples) {
          long[] v = s.tables().get(table);
          sb.append(
              String.format(
                  Locale.ROOT, "%18s", String.format(Locale.ROOT, "%,d (%,d)", v[0], v[1] / 1024)));
        }
        sb.append(System.lineSeparator());
      }
      double off = median(drainOff);
      double on = median(drainOn);
      sb.append(
          String.format(
              Locale.ROOT,
              "  drain of %,d runs (job keeps 100, %,d past it at the start): no retention duty %s"
                  + " runs/s (median %,.0f);"
                  + " retention duty on %s runs/s (median %,.0f), deleting %s runs meanwhile;"
                  + " on/off %+.1f%%",
              drainRuns,
              RetentionDrain.BACKLOG,
              rates(drainOff),
              off,
              rates(drainOn),
              on,
              deletedDuringDrain.stream().map(d -> String.format(Locale.ROOT, "%,d", d)).toList(),
              100 * (on - off) / off));
      return sb.toString();
    }

    private static double median(List<Double> values) {
      double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      int n = sorted.length;
      return n == 0 ? Double.NaN : (sorted[(n - 1) / 2] + sorted[n / 2]) / 2;
    }

    private static String rates(List<Double> values) {
      return values.stream().map(v -> String.format(Locale.ROOT, "%,.0f", v)).toList().toString();
    }
  }

  public Report run() throws Exception {
    SteadyResult steady = steady();
    List<Double> off = new ArrayList<>();
    List<Double> on = new ArrayList<>();
    List<Long> deleted = new ArrayList<>();
    // one unmeasured, then off, on, on, off: a drift over the run (the JIT warming up, another
    // process's load) falls on both alike
    RetentionDrain drain = new RetentionDrain(options, out);
    drain.run(true);
    for (boolean retention : new boolean[] {false, true, true, false}) {
      double[] result = drain.run(retention);
      if (retention) {
        on.add(result[0]);
        deleted.add((long) result[1]);
      } else {
        off.add(result[0]);
      }
    }
    return new Report(
        jobs,
        duration,
        steady.created(),
        steady.samples(),
        steady.vacuumed(),
        options.runs(),
        off,
        on,
        deleted);
  }

  private record SteadyResult(long created, List<Sample> samples, boolean vacuumed) {}

  private static boolean autovacuumOff(PostgresSchema db) throws Exception {
    try (Connection c = DriverManager.getConnection(db.config().jdbcUrl());
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SHOW autovacuum")) {
      rs.next();
      return rs.getString(1).equals("off");
    }
  }

  /** What autovacuum would do: mark the space of deleted rows free for new ones. */
  private void vacuum(PostgresSchema db) {
    try (Connection c = DriverManager.getConnection(db.config().jdbcUrl());
        Statement s = c.createStatement()) {
      for (String table : TABLES) {
        s.execute("VACUUM " + table);
      }
    } catch (Exception e) {
      out.println("vacuum: " + e.getMessage());
    }
  }

  private SteadyResult steady() throws Exception {
    Path dir = Files.createTempDirectory("kairos-bench");
    try (PostgresSchema db = PostgresSchema.create(options.pgUrl())) {
      Store store = StoreFactory.open(db.config());
      ServerConfig config =
          ServerConfig.defaults(dir)
              .withPort(0)
              .withRetention(Duration.ofSeconds(STEADY_RETENTION_SECONDS))
              .withRetentionInterval(INTERVAL)
              .withEventDedupWindow(Duration.ofSeconds(10));
      KairosServer server = new KairosServer(config, store, Clock.systemUTC());
      Worker worker = new Worker(workerConfig(dir), server.workerProtocol());
      ScheduledExecutorService feeder = Executors.newSingleThreadScheduledExecutor();
      try {
        server.start();
        worker.start();
        out.printf(
            "steady: %d schedules every second, %d failing ones, for %d s%n",
            jobs, NOISY, duration.toSeconds());
        for (int i = 0; i < jobs; i++) {
          String history = i % 2 == 0 ? "history: {successfulRuns: 10, failedRuns: 10}" : "";
          server.jobs().apply(JobManifestCodec.parseYaml(cron("s" + i, history, "empty: {}")));
        }
        for (int i = 0; i < NOISY; i++) {
          server
              .jobs()
              .apply(
                  JobManifestCodec.parseYaml(
                      cron(
                          "noisy" + i,
                          "history: {failedRuns: 5}",
                          "shell: {command: \"echo tick; exit 1\"}")));
        }
        AtomicLong fed = new AtomicLong();
        feeder.scheduleAtFixedRate(
            () -> {
              long n = fed.incrementAndGet();
              Instant now = Instant.now();
              try {
                store.receiveEvent(new NewEvent("tick", "bench", "e" + n, null), now);
                store.recordAudit(
                    new AuditEntry(
                        0, now, "bench", "POST", "/api/v1/x", "/api/v1/x", null, 200, ""));
              } catch (RuntimeException e) {
                // a failed write is a missing row, not a reason to stop feeding
                out.println("feeder: " + e.getMessage());
              }
            },
            0,
            1_000_000 / FEED_PER_SECOND,
            TimeUnit.MICROSECONDS);
        boolean vacuum = autovacuumOff(db);
        if (vacuum) {
          // dead rows are reclaimed by vacuum; without it every table grows whatever is deleted
          out.println("  autovacuum is off on this server: vacuuming the tables every 15 s");
          feeder.scheduleWithFixedDelay(() -> vacuum(db), 15, 15, TimeUnit.SECONDS);
        }
        List<Sample> samples = new ArrayList<>();
        long start = System.nanoTime();
        samples.add(sample(db, 0));
        for (int i = 1; i <= SAMPLES; i++) {
          long due = start + duration.toNanos() * i / SAMPLES;
          Thread.sleep(Math.max(0, (due - System.nanoTime()) / 1_000_000));
          samples.add(sample(db, (System.nanoTime() - start) / 1_000_000_000));
          out.printf("  %d s: %,d runs%n", samples.getLast().seconds(), rows(samples.getLast()));
        }
        return new SteadyResult(store.lastRunId(), samples, vacuum);
      } finally {
        feeder.shutdownNow();
        worker.stop(Duration.ofSeconds(5));
        server.close();
        store.close();
      }
    }
  }

  private static long rows(Sample s) {
    return s.tables().get("runs")[0];
  }

  private static String cron(String name, String history, String task) {
    return """
    apiVersion: kairos.dev/v1
    kind: Job
    metadata: {name: %s, namespace: bench}
    spec:
      schedule: "* * * * * *"
      %s
      task: {%s}
    """
        .formatted(name, history, task);
  }

  private Sample sample(PostgresSchema db, long seconds) throws Exception {
    Map<String, long[]> tables = new LinkedHashMap<>();
    try (Connection c = DriverManager.getConnection(db.config().jdbcUrl());
        Statement s = c.createStatement()) {
      for (String table : TABLES) {
        try (ResultSet rs =
            s.executeQuery(
                "SELECT count(*), pg_total_relation_size('" + table + "') FROM " + table)) {
          rs.next();
          tables.put(table, new long[] {rs.getLong(1), rs.getLong(2)});
        }
      }
    }
    return new Sample(seconds, tables);
  }

  private WorkerConfig workerConfig(Path dir) {
    return RetentionDrain.workerConfig(options, dir);
  }
}
