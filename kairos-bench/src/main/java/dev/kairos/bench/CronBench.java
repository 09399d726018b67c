package dev.kairos.bench;

import dev.kairos.core.run.RunState;
import dev.kairos.core.spec.JobManifestCodec;
import dev.kairos.server.KairosServer;
import dev.kairos.server.ServerConfig;
import dev.kairos.store.RunQuery;
import dev.kairos.store.RunRecord;
import dev.kairos.store.Store;
import dev.kairos.store.StoreFactory;
import dev.kairos.worker.Worker;
import dev.kairos.worker.WorkerConfig;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Fire precision: N jobs whose schedules all fire on the same second, one server with its local
 * worker. Reports how late the runs were created and started after their fire time.
 */
public final class CronBench {
  private final BenchOptions options;
  private final PrintWriter out;

  public CronBench(BenchOptions options, PrintWriter out) {
    this.options = options;
    this.out = out;
  }

  /** The figures of one cron run. */
  public record Report(
      String store,
      int jobs,
      double createdP50,
      double createdP99,
      double createdMax,
      double startedP50,
      double startedP99) {
    public String format() {
      return String.format(
          Locale.ROOT,
          "%-8s %,d jobs due on the same second: run created after fire p50=%.0f ms p99=%.0f ms"
              + " max=%.0f ms; started p50=%.0f ms p99=%.0f ms",
          store,
          jobs,
          createdP50,
          createdP99,
          createdMax,
          startedP50,
          startedP99);
    }
  }

  public Report run() throws Exception {
    int n = options.runs();
    Path dir = Files.createTempDirectory("kairos-bench");
    try (ThroughputBench.BenchDatabase db = ThroughputBench.BenchDatabase.create(options, dir)) {
      Store store = StoreFactory.open(db.config());
      KairosServer server =
          new KairosServer(ServerConfig.defaults(dir).withPort(0), store, Clock.systemUTC());
      Worker worker =
          new Worker(
              WorkerConfig.defaults().withSlots(options.slots()).withWorkRoot(dir.resolve("work")),
              server.workerProtocol());
      try {
        server.start();
        worker.start();
        // time the applies, then put the common fire time far enough ahead
        long start = System.nanoTime();
        applyJobs(server, n, Instant.now().plusSeconds(3600));
        double applySeconds = (System.nanoTime() - start) / 1e9;
        // re-applying takes about as long again: the common fire time comes after that
        Instant due =
            Instant.now()
                .plusMillis((long) (applySeconds * 1500) + 5_000)
                .truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        out.printf(
            "%napplied %,d jobs in %.1f s; moving their fire time to %s%n", n, applySeconds, due);
        retime(server, n, due);
        while (countAll(store) < n) {
          Thread.sleep(500);
          if (Instant.now().isAfter(due.plusSeconds(300))) {
            throw new IllegalStateException("runs did not finish in 5 minutes");
          }
        }
        return report(store, due, n);
      } finally {
        worker.stop(Duration.ofSeconds(5));
        server.close();
        store.close();
      }
    }
  }

  private static String manifest(int i, Instant fire) {
    ZonedDateTime t = fire.atZone(ZoneOffset.UTC);
    String schedule =
        t.getSecond()
            + " "
            + t.getMinute()
            + " "
            + t.getHour()
            + " "
            + t.getDayOfMonth()
            + " "
            + t.getMonthValue()
            + " *";
    return """
    apiVersion: kairos.dev/v1
    kind: Job
    metadata: {name: j%d, namespace: cron}
    spec:
      schedule: "%s"
      task: {empty: {}}
    """
        .formatted(i, schedule);
  }

  private void applyJobs(KairosServer server, int n, Instant fire) {
    long start = System.nanoTime();
    for (int i = 0; i < n; i++) {
      server.jobs().apply(JobManifestCodec.parseYaml(manifest(i, fire)));
      if (i % 500 == 499 || i == n - 1) {
        double s = (System.nanoTime() - start) / 1e9;
        out.printf("\r  applied %,d / %,d jobs  %,.0f/s   ", i + 1, n, (i + 1) / s);
        out.flush();
      }
    }
  }

  /** Re-applies every job with the schedule moved to {@code due} (a new version each). */
  private void retime(KairosServer server, int n, Instant due) {
    for (int i = 0; i < n; i++) {
      server.jobs().apply(JobManifestCodec.parseYaml(manifest(i, due)));
    }
    if (Instant.now().isAfter(due)) {
      out.println("warning: re-applying took past the fire time; the figures include that delay");
    }
  }

  private static long countAll(Store store) {
    long n = 0;
    Long before = null;
    while (true) {
      List<RunRecord> page = store.listRuns(new RunQuery(null, RunState.SUCCEEDED, 1000, before));
      n += page.size();
      if (page.size() < 1000) {
        return n;
      }
      before = page.get(page.size() - 1).id();
    }
  }

  private Report report(Store store, Instant due, int n) {
    List<Double> created = new ArrayList<>();
    List<Double> started = new ArrayList<>();
    Long before = null;
    while (true) {
      List<RunRecord> page = store.listRuns(new RunQuery(null, null, 1000, before));
      for (RunRecord r : page) {
        created.add((double) Duration.between(due, r.createdAt()).toMillis());
        if (r.startedAt() != null) {
          started.add((double) Duration.between(due, r.startedAt()).toMillis());
        }
      }
      if (page.size() < 1000) {
        break;
      }
      before = page.get(page.size() - 1).id();
    }
    double[] c = created.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    double[] s = started.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return new Report(
        options.store(),
        n,
        ThroughputBench.percentile(c, 0.5),
        ThroughputBench.percentile(c, 0.99),
        c.length == 0 ? Double.NaN : c[c.length - 1],
        ThroughputBench.percentile(s, 0.5),
        ThroughputBench.percentile(s, 0.99));
  }
}
