package dev.kairos.bench;

import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobExecutionContext;
import org.quartz.Scheduler;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.impl.StdSchedulerFactory;

/**
 * The same drain as {@link ThroughputBench}, through Quartz (the second peer), on the same
 * PostgreSQL server in a schema of its own: N one-shot no-op jobs (a non-durable job and a {@code
 * SimpleTrigger} each) due now, executed by one scheduler on Quartz's JDBC JobStore in clustered
 * mode (what a highly available deployment runs, and what compares with Kairos replicas), tuned as
 * Quartz's configuration reference recommends for many triggers firing at once: a 50-thread pool,
 * batch trigger acquisition (which requires acquiring within the lock), and a database pool of the
 * thread count plus a few.
 */
public final class QuartzBench {
  /** Worker threads; Quartz's docs suggest "50 or 100" for tens of thousands of jobs. */
  static final int THREADS = 50;

  /**
   * Jobs stored per {@code scheduleJobs} call: one transaction, one hold of Quartz's trigger lock.
   */
  private static final int ENQUEUE_BATCH = 1_000;

  /**
   * Older than this, a due trigger is a misfire and waits for the misfire handler instead of being
   * acquired; the jobs are due from the moment they are enqueued, so this must outlast enqueue and
   * drain together.
   */
  private static final Duration MISFIRE_THRESHOLD = Duration.ofHours(1);

  private static final String GROUP = "bench";
  private static final String TABLES = "/org/quartz/impl/jdbcjobstore/tables_postgres.sql";

  private final BenchOptions options;
  private final PrintWriter out;
  private final Progress progress;

  public QuartzBench(BenchOptions options, PrintWriter out) {
    this.options = options;
    this.out = out;
    this.progress = Progress.to(out);
  }

  /** Drains N tasks (or as many as run within {@link PeerDrain#GUARD}). */
  public PeerResult run() throws Exception {
    int n = options.runs();
    try (PostgresSchema schema = PostgresSchema.create(options.pgUrl())) {
      String url = schema.config().jdbcUrl();
      createTables(url);
      Scheduler scheduler = new StdSchedulerFactory(properties(url)).getScheduler();
      try {
        AtomicLong executed = new AtomicLong();
        scheduler.setJobFactory((bundle, s) -> new NoopJob(executed));
        int warmup = options.warmupRuns();
        if (warmup > 0) {
          out.printf("quartz warm-up (not measured): %,d jobs%n", warmup);
          enqueue(scheduler, "w", warmup);
          scheduler.start();
          PeerDrain.await(
              "quartz warm-up", executed, warmup, System.nanoTime(), PeerDrain.GUARD, out);
          scheduler.standby();
          executed.set(0);
        }
        enqueue(scheduler, "", n);
        schema.settle();
        out.printf(
            "quartz: %,d one-shot jobs due now; draining with %d threads, clustered JDBC JobStore%n",
            n, THREADS);
        long start = System.nanoTime();
        scheduler.start();
        return PeerDrain.await("quartz", executed, n, start, PeerDrain.GUARD, out);
      } finally {
        scheduler.shutdown(true);
      }
    }
  }

  /** Quartz's configuration, in its own property names (see its Configuration Reference). */
  static Properties properties(String jdbcUrl) {
    Properties p = new Properties();
    p.setProperty("org.quartz.scheduler.instanceName", "kairos-bench");
    p.setProperty("org.quartz.scheduler.instanceId", "AUTO");
    p.setProperty("org.quartz.scheduler.batchTriggerAcquisitionMaxCount", String.valueOf(THREADS));
    // the docs pair a fire-ahead window with batch acquisition; here every job is already due, so
    // one acquisition takes up to the batch size whatever the window
    p.setProperty("org.quartz.scheduler.batchTriggerAcquisitionFireAheadTimeWindow", "1000");
    p.setProperty("org.quartz.threadPool.class", "org.quartz.simpl.SimpleThreadPool");
    p.setProperty("org.quartz.threadPool.threadCount", String.valueOf(THREADS));
    p.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
    p.setProperty(
        "org.quartz.jobStore.driverDelegateClass",
        "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
    p.setProperty("org.quartz.jobStore.tablePrefix", "QRTZ_");
    p.setProperty("org.quartz.jobStore.isClustered", "true");
    // required by the docs whenever batchTriggerAcquisitionMaxCount > 1 on a JDBC JobStore
    p.setProperty("org.quartz.jobStore.acquireTriggersWithinLock", "true");
    p.setProperty(
        "org.quartz.jobStore.misfireThreshold", String.valueOf(MISFIRE_THRESHOLD.toMillis()));
    p.setProperty("org.quartz.jobStore.dataSource", "bench");
    p.setProperty("org.quartz.dataSource.bench.provider", "hikaricp");
    p.setProperty("org.quartz.dataSource.bench.driver", "org.postgresql.Driver");
    p.setProperty("org.quartz.dataSource.bench.URL", jdbcUrl);
    // the docs' JDBC JobStore tips: "at least the number of worker threads ... plus three"
    p.setProperty("org.quartz.dataSource.bench.maxConnections", String.valueOf(THREADS + 5));
    return p;
  }

  /** Runs the PostgreSQL script shipped in the Quartz jar, statement by statement. */
  private static void createTables(String url) throws Exception {
    String script;
    try (InputStream in = QuartzBench.class.getResourceAsStream(TABLES)) {
      if (in == null) {
        throw new IllegalStateException(TABLES + " is missing from the classpath");
      }
      script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    String withoutComments =
        script.lines().filter(l -> !l.startsWith("--")).collect(Collectors.joining("\n"));
    // the script ends with COMMIT for psql; each statement here commits on its own
    List<String> statements =
        Arrays.stream(withoutComments.split(";"))
            .map(String::strip)
            .filter(sql -> !sql.isEmpty() && !sql.equalsIgnoreCase("COMMIT"))
            .toList();
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      for (String sql : statements) {
        s.execute(sql);
      }
    }
  }

  /**
   * Stores the jobs through Quartz's own API, {@code scheduleJobs} in batches, since its docs warn
   * never to write to its tables directly. Not measured: only the drain is compared, as for Kairos
   * and db-scheduler. Each trigger starts "now" as it is built ({@code startNow()}, as users write
   * it); N triggers on one identical millisecond would make every acquisition sort the whole due
   * set by priority (its query orders by fire time, then priority).
   */
  private void enqueue(Scheduler scheduler, String prefix, int n) throws Exception {
    out.printf("quartz: scheduling %,d jobs in batches of %,d%n", n, ENQUEUE_BATCH);
    long start = System.nanoTime();
    for (int from = 0; from < n; from += ENQUEUE_BATCH) {
      int to = Math.min(n, from + ENQUEUE_BATCH);
      Map<JobDetail, Set<? extends Trigger>> batch = new HashMap<>();
      for (int i = from; i < to; i++) {
        JobDetail job =
            JobBuilder.newJob(NoopJob.class).withIdentity(prefix + "j" + i, GROUP).build();
        Trigger trigger =
            TriggerBuilder.newTrigger()
                .withIdentity(prefix + "t" + i, GROUP)
                .forJob(job)
                .startNow()
                .build();
        batch.put(job, Set.of(trigger));
      }
      scheduler.scheduleJobs(batch, false);
      double s = (System.nanoTime() - start) / 1e9;
      progress.show(String.format("scheduled %,d / %,d  %,.0f/s", to, n, to / s));
    }
    progress.end();
  }

  /**
   * The job Quartz runs: counts itself and returns. Quartz stores this class's name with each job
   * and asks the scheduler's job factory for an instance at every fire; the factory above hands it
   * the counter, so the count needs no static.
   */
  static final class NoopJob implements Job {
    private final AtomicLong executed;

    NoopJob(AtomicLong executed) {
      this.executed = executed;
    }

    @Override
    public void execute(JobExecutionContext context) {
      executed.incrementAndGet();
    }
  }
}
