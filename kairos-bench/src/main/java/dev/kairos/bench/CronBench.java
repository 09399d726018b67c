package dev.kairos.bench;

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
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/**
 * Fire precision, one server with its local worker:
 *
 * <ul>
 *   <li>burst: {@code burstJobs} jobs whose schedules all fire on the same second;
 *   <li>idle: {@code schedules} active schedules, none due for an hour: the server's CPU use;
 *   <li>spread: the same schedules firing once a minute, spread over its seconds, for a minute.
 * </ul>
 *
 * For each fire it reports how late the run existed after its fire time (a run fired ahead exists
 * before it: 0) and how late its attempt started, which is the delay a user sees.
 */
public final class CronBench {
  private static final Duration IDLE_WINDOW = Duration.ofSeconds(20);

  private final BenchOptions options;
  private final int burstJobs;
  private final int schedules;
  private final PrintWriter out;
  private final Progress progress;

  public CronBench(BenchOptions options, int burstJobs, int schedules, PrintWriter out) {
    this.options = options;
    this.burstJobs = burstJobs;
    this.schedules = schedules;
    this.out = out;
    this.progress = Progress.to(out);
  }

  /** Delays after the fire time, in milliseconds. */
  public record Delays(int fires, double existsP99, double startP50, double startP99) {
    String format() {
      return String.format(
          Locale.ROOT,
          "%,d fires: run existed p99=%.0f ms; started p50=%.0f ms p99=%.0f ms",
          fires,
          existsP99,
          startP50,
          startP99);
    }
  }

  /** The figures of one store. */
  public record Report(
      String store,
      int burstJobs,
      Delays burst,
      int schedules,
      double idleCorePercent,
      Delays spread) {
    public String format() {
      return String.format(
          Locale.ROOT,
          "%-8s same second, %s%n         %,d schedules idle: server process %.1f%% of a core%n"
              + "         %,d schedules spread over the minute, %s",
          store,
          burst.format(),
          schedules,
          idleCorePercent,
          schedules,
          spread.format());
    }
  }

  public Report run() throws Exception {
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
        Delays burst = burst(server, store);
        double idle = idle(server);
        Delays spread = spread(server, store);
        return new Report(options.store(), burstJobs, burst, schedules, idle, spread);
      } finally {
        worker.stop(Duration.ofSeconds(5));
        server.close();
        store.close();
      }
    }
  }

  /** Every burst job fires once, on the same second. */
  private Delays burst(KairosServer server, Store store) throws Exception {
    out.printf("burst: %,d jobs due on the same second%n", burstJobs);
    long start = System.nanoTime();
    apply(server, burstJobs, i -> manifest("burst", i, atSecond(Instant.now().plusSeconds(3600))));
    double applySeconds = (System.nanoTime() - start) / 1e9;
    // re-applying takes about as long again: the common fire time comes after that
    Instant due =
        Instant.now()
            .plusMillis((long) (applySeconds * 1500) + 5_000)
            .truncatedTo(ChronoUnit.SECONDS);
    out.printf("  moving their fire time to %s%n", due);
    apply(server, burstJobs, i -> manifest("burst", i, atSecond(due)));
    if (Instant.now().isAfter(due)) {
      out.println("warning: re-applying took past the fire time; the figures include that delay");
    }
    return awaitFires(store, "burst", due, due, burstJobs);
  }

  /** CPU used by this process while the schedules exist and none is due for an hour. */
  private double idle(KairosServer server) throws Exception {
    out.printf("idle: %,d schedules, none due for an hour%n", schedules);
    apply(server, schedules, i -> manifest("s", i, "0 0 " + ((nowHour() + 2) % 24) + " * * *"));
    out.printf("  measuring the server's CPU for %d s%n", IDLE_WINDOW.toSeconds());
    Thread.sleep(2_000);
    var os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long cpu0 = os.getProcessCpuTime();
    long t0 = System.nanoTime();
    Thread.sleep(IDLE_WINDOW.toMillis());
    return 100.0 * (os.getProcessCpuTime() - cpu0) / (System.nanoTime() - t0);
  }

  /** The schedules fire once a minute at second (i mod 60), for one minute. */
  private Delays spread(KairosServer server, Store store) throws Exception {
    out.printf("spread: %,d schedules firing once a minute, spread over its seconds%n", schedules);
    apply(server, schedules, i -> manifest("s", i, (i % 60) + " * * * * *"));
    // measure one whole minute, starting at the next minute after a few seconds of settling
    Instant from = Instant.now().plusSeconds(5).truncatedTo(ChronoUnit.MINUTES).plusSeconds(60);
    Instant to = from.plusSeconds(59);
    out.printf("  measuring the fires from %s to %s%n", from, to);
    return awaitFires(store, "s", from, to, schedules);
  }

  /** Waits for {@code n} runs of jobs named {@code prefix*} fired in [from, to] to start. */
  private Delays awaitFires(Store store, String prefix, Instant from, Instant to, int n)
      throws InterruptedException {
    Instant deadline = to.plusSeconds(300);
    // reading the runs loads the database: only once the fires should be over
    Thread.sleep(Math.max(0, Duration.between(Instant.now(), to.plusSeconds(3)).toMillis()));
    List<RunRecord> fired;
    while ((fired = fired(store, prefix, from, to))
            .stream().filter(r -> r.startedAt() != null).count()
        < n) {
      Thread.sleep(2_000);
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException(
            "only " + fired.size() + " of " + n + " fires started within 5 minutes");
      }
    }
    double[] exists = new double[fired.size()];
    double[] started = new double[fired.size()];
    for (int i = 0; i < fired.size(); i++) {
      RunRecord r = fired.get(i);
      exists[i] = Math.max(0, Duration.between(r.fireTime(), r.createdAt()).toMillis());
      started[i] = Duration.between(r.fireTime(), r.startedAt()).toMillis();
    }
    java.util.Arrays.sort(exists);
    java.util.Arrays.sort(started);
    return new Delays(
        fired.size(),
        ThroughputBench.percentile(exists, 0.99),
        ThroughputBench.percentile(started, 0.50),
        ThroughputBench.percentile(started, 0.99));
  }

  private static List<RunRecord> fired(Store store, String prefix, Instant from, Instant to) {
    List<RunRecord> result = new ArrayList<>();
    Long before = null;
    while (true) {
      List<RunRecord> page = store.listRuns(new RunQuery(null, null, 1000, before));
      for (RunRecord r : page) {
        if (r.job().name().startsWith(prefix)
            && r.fireTime() != null
            && !r.fireTime().isBefore(from)
            && !r.fireTime().isAfter(to)) {
          result.add(r);
        }
      }
      if (page.size() < 1000) {
        return result;
      }
      before = page.get(page.size() - 1).id();
    }
  }

  /** Applies {@code n} jobs from a few threads, with progress. */
  private void apply(KairosServer server, int n, IntFunction<String> manifest) throws Exception {
    long start = System.nanoTime();
    java.util.concurrent.atomic.AtomicInteger done =
        new java.util.concurrent.atomic.AtomicInteger();
    try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
      List<Future<?>> parts = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int first = t;
        parts.add(
            pool.submit(() -> {
              for (int i = first; i < n; i += 4) {
                server.jobs().apply(JobManifestCodec.parseYaml(manifest.apply(i)));
                int d = done.incrementAndGet();
                if (d % 1000 == 0 || d == n) {
                  double s = (System.nanoTime() - start) / 1e9;
                  progress.show(String.format("applied %,d / %,d jobs  %,.0f/s", d, n, d / s));
                }
              }
            }));
      }
      for (Future<?> f : parts) {
        f.get();
      }
      progress.end();
    }
  }

  private static String manifest(String prefix, int i, String schedule) {
    return """
    apiVersion: kairos.dev/v1
    kind: Job
    metadata: {name: %s%d, namespace: cron}
    spec:
      schedule: "%s"
      task: {empty: {}}
    """
        .formatted(prefix, i, schedule);
  }

  /** A six-field schedule that fires once, at {@code fire} (to the second, UTC). */
  private static String atSecond(Instant fire) {
    ZonedDateTime t = fire.atZone(ZoneOffset.UTC);
    return t.getSecond()
        + " "
        + t.getMinute()
        + " "
        + t.getHour()
        + " "
        + t.getDayOfMonth()
        + " "
        + t.getMonthValue()
        + " *";
  }

  private static int nowHour() {
    return ZonedDateTime.now(ZoneOffset.UTC).getHour();
  }
}
