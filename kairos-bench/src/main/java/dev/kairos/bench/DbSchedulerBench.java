package dev.kairos.bench;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The same drain as {@link ThroughputBench}, through db-scheduler (the peer), on the same
 * PostgreSQL server in a schema of its own: N one-time no-op task instances due now, executed by
 * one scheduler configured for throughput as its documentation recommends (lock-and-fetch polling
 * with {@code SELECT ... FOR UPDATE SKIP LOCKED}, a larger thread pool, short polling interval).
 */
public final class DbSchedulerBench {
  /** Threads of the db-scheduler executor; its docs suggest raising them for throughput. */
  static final int THREADS = 50;

  private final BenchOptions options;
  private final PrintWriter out;

  public DbSchedulerBench(BenchOptions options, PrintWriter out) {
    this.options = options;
    this.out = out;
  }

  /** Drains N tasks (or as many as run within {@link PeerDrain#GUARD}). */
  public PeerResult run() throws Exception {
    int n = options.runs();
    try (PostgresSchema schema = PostgresSchema.create(options.pgUrl())) {
      HikariConfig config = new HikariConfig();
      config.setJdbcUrl(schema.config().jdbcUrl());
      config.setMaximumPoolSize(THREADS + 5);
      try (HikariDataSource ds = new HikariDataSource(config)) {
        createTable(ds);
        AtomicLong executed = new AtomicLong();
        OneTimeTask<Void> noop =
            Tasks.oneTime("noop").execute((instance, ctx) -> executed.incrementAndGet());
        int warmup = options.warmupRuns();
        if (warmup > 0) {
          out.printf("db-scheduler warm-up (not measured): %,d tasks%n", warmup);
          enqueue(ds, "w", warmup);
          Scheduler scheduler = newScheduler(ds, noop);
          scheduler.start();
          try {
            PeerDrain.await(
                "db-scheduler warm-up", executed, warmup, System.nanoTime(), PeerDrain.GUARD, out);
          } finally {
            scheduler.stop();
          }
          executed.set(0);
        }
        enqueue(ds, "i", n);
        schema.settle();
        out.printf(
            "db-scheduler: %,d one-time tasks due now; draining with %d threads%n", n, THREADS);
        Scheduler scheduler = newScheduler(ds, noop);
        long start = System.nanoTime();
        scheduler.start();
        try {
          return PeerDrain.await("db-scheduler", executed, n, start, PeerDrain.GUARD, out);
        } finally {
          scheduler.stop();
        }
      }
    }
  }

  /** One scheduler, configured for throughput as its documentation recommends. */
  private static Scheduler newScheduler(HikariDataSource ds, OneTimeTask<Void> noop) {
    return Scheduler.create(ds, noop)
        .threads(THREADS)
        .pollUsingLockAndFetch(0.5, 4.0)
        .pollingInterval(Duration.ofMillis(50))
        .build();
  }

  /** db-scheduler's PostgreSQL table, as its documentation gives it. */
  private static void createTable(HikariDataSource ds) throws Exception {
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE scheduled_tasks (task_name TEXT NOT NULL, task_instance TEXT NOT NULL,"
              + " task_data BYTEA, execution_time TIMESTAMP WITH TIME ZONE, picked BOOLEAN NOT NULL,"
              + " picked_by TEXT, last_success TIMESTAMP WITH TIME ZONE, last_failure TIMESTAMP WITH"
              + " TIME ZONE, consecutive_failures INT, last_heartbeat TIMESTAMP WITH TIME ZONE,"
              + " version BIGINT NOT NULL, priority SMALLINT, state TEXT,"
              + " PRIMARY KEY (task_name, task_instance))");
      s.execute("CREATE INDEX execution_time_idx ON scheduled_tasks (execution_time)");
      s.execute("CREATE INDEX last_heartbeat_idx ON scheduled_tasks (last_heartbeat)");
      s.execute(
          "CREATE INDEX priority_execution_time_idx ON scheduled_tasks (priority DESC,"
              + " execution_time ASC)");
    }
  }

  /** Bulk insert, as Kairos's bench enqueues in bulk too; only the drain is compared. */
  private static void enqueue(HikariDataSource ds, String prefix, int n) throws Exception {
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      s.execute(
          "INSERT INTO scheduled_tasks (task_name, task_instance, execution_time, picked, version)"
              + " SELECT 'noop', '"
              + prefix
              + "' || g, now(), FALSE, 1 FROM generate_series(1, "
              + n
              + ") g");
    }
  }
}
