package dev.kairos.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kairos.prerequisites.Part;
import dev.kairos.store.testing.PostgresFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chaos, bounded: 3 server replicas on PostgreSQL and 3 worker processes; thousands of one-shot
 * runs carrying idempotency keys plus a per-second schedule; one replica after another is killed
 * with SIGKILL and restarted, and a worker twice. Counted at the end from the database and from the
 * tasks' own side-effect file: no run lost, every run SUCCEEDED, no duplicate run for a key, no
 * cron fire twice or missed.
 */
class ChaosIT {
  static final int RUNS = Integer.getInteger("kairos.chaos.runs", 5000);
  static final int SUBMITTERS = Integer.getInteger("kairos.chaos.submitters", 8);

  @TempDir Path dir;

  @BeforeAll
  static void requirePostgres() {
    Part.POSTGRESQL.require(PostgresFixture.unavailableReason());
  }

  @Test
  void nothingIsLostOrDoubledWhileReplicasAndWorkersAreKilled() throws Exception {
    Path effects = dir.resolve("effects.log");
    Files.createFile(effects);
    String job =
        """
        apiVersion: kairos.dev/v1
        kind: Job
        metadata: {name: effect}
        spec:
          retryPolicy: {maxRetries: 20, initialInterval: 500ms, maxInterval: 2s}
          timeout: 30s
          history: {successfulRuns: 100000}   # every run is counted at the end
          task:
            shell:
              command: echo "$KAIROS_IDEMPOTENCY_KEY" >> "$EFFECTS"
              env: {EFFECTS: "%s"}
        """
            .formatted(effects);
    try (PostgresFixture pg = PostgresFixture.create()) {
      String db = pg.config().jdbcUrl();
      List<KairosProcess> servers = new ArrayList<>();
      List<WorkerProcess> workers = new ArrayList<>();
      try {
        long started = System.nanoTime();
        for (int i = 0; i < 3; i++) {
          servers.add(KairosProcess.server(dir.resolve("s" + i), "--db", db, "--lease", "3s"));
        }
        // in parallel, as replicas of a real deployment start (and race to migrate the schema)
        inParallel(servers.stream().map(s -> (Callable<?>) s::start).toList());
        String urls = String.join(",", servers.stream().map(KairosProcess::url).toList());
        workers.addAll(
            inParallel(
                java.util.stream.IntStream.range(0, 3)
                    .mapToObj(i -> (Callable<WorkerProcess>) () -> startWorker(urls, i))
                    .toList()));
        System.out.printf(
            "chaos: 3 replicas and 3 workers started in %d ms%n",
            (System.nanoTime() - started) / 1_000_000);
        assertThat(servers.get(0).call("PUT", "/api/v1/jobs", job).status()).isEqualTo(201);
        assertThat(servers.get(1).call("PUT", "/api/v1/jobs", ReplicasIT.TICK).status())
            .isEqualTo(201);

        long t0 = System.nanoTime();
        AtomicBoolean chaos = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(2 + SUBMITTERS);
        Future<Integer> kills = pool.submit(() -> killReplicas(servers, chaos));
        Future<?> workerKills = pool.submit(() -> killWorkers(workers, urls));
        List<Future<Integer>> submitters = new ArrayList<>();
        for (int t = 0; t < SUBMITTERS; t++) {
          int offset = t;
          submitters.add(pool.submit(() -> submit(servers, offset)));
        }
        int retries = 0;
        for (Future<Integer> f : submitters) {
          retries += f.get();
        }
        workerKills.get();
        long submitted = System.nanoTime();
        long deadline = System.nanoTime() + Duration.ofSeconds(150).toNanos();
        while (count(
                    db,
                    "SELECT count(*) FROM runs WHERE job_name = 'effect' AND state = 'SUCCEEDED'")
                < RUNS
            && System.nanoTime() < deadline) {
          Thread.sleep(500);
        }
        long drained = System.nanoTime();
        chaos.set(false);
        int replicaKills = kills.get();
        System.out.printf(
            "chaos: submitted in %d s, all succeeded at %d s, kills stopped at %d s%n",
            (submitted - t0) / 1_000_000_000,
            (drained - t0) / 1_000_000_000,
            (System.nanoTime() - t0) / 1_000_000_000);
        pool.shutdown();
        Thread.sleep(3_000); // let the schedule fire past the last kill

        long runs = count(db, "SELECT count(*) FROM runs WHERE job_name = 'effect'");
        long keys =
            count(db, "SELECT count(DISTINCT idempotency_key) FROM runs WHERE job_name = 'effect'");
        long succeeded =
            count(
                db, "SELECT count(*) FROM runs WHERE job_name = 'effect' AND state = 'SUCCEEDED'");
        Map<String, Integer> seen = new HashMap<>();
        for (String line : Files.readAllLines(effects)) {
          if (!line.isBlank()) {
            seen.merge(line.trim(), 1, Integer::sum);
          }
        }
        long lost = RUNS - seen.size();
        long reExecuted = seen.values().stream().filter(n -> n > 1).count();
        TreeSet<Long> fires = new TreeSet<>();
        long doubleFires = 0;
        try (Connection c = DriverManager.getConnection(db);
            Statement s = c.createStatement();
            ResultSet rs =
                s.executeQuery(
                    "SELECT fire_time FROM runs WHERE job_name = 'tick' AND trigger_kind = 'SCHEDULE'")) {
          while (rs.next()) {
            if (!fires.add(rs.getLong(1) / 1000)) {
              doubleFires++;
            }
          }
        }
        long missedFires = fires.isEmpty() ? 0 : (fires.last() - fires.first() + 1) - fires.size();
        System.out.printf(
            "chaos: runs=%d keys=%d succeeded=%d lost=%d duplicateRunsForAKey=%d re-executed(at-least-once)=%d"
                + " cronFires=%d doubleFires=%d missedFires=%d replicaKills=%d workerKills=2 submitRetries=%d%n",
            runs,
            keys,
            succeeded,
            lost,
            runs - keys,
            reExecuted,
            fires.size(),
            doubleFires,
            missedFires,
            replicaKills,
            retries);
        assertThat(runs).isEqualTo(RUNS);
        assertThat(keys).isEqualTo(RUNS);
        assertThat(succeeded).isEqualTo(RUNS);
        assertThat(lost).isZero();
        assertThat(doubleFires).isZero();
        assertThat(missedFires).isZero();
        assertThat(replicaKills).isGreaterThanOrEqualTo(2);
      } finally {
        for (WorkerProcess w : workers) {
          w.close();
        }
        for (KairosProcess s : servers) {
          s.close();
        }
      }
    }
  }

  private static <T> List<T> inParallel(List<Callable<T>> tasks) throws Exception {
    ExecutorService starters = Executors.newFixedThreadPool(tasks.size());
    try {
      List<T> results = new ArrayList<>();
      for (Future<T> f : starters.invokeAll(tasks)) {
        results.add(f.get());
      }
      return results;
    } finally {
      starters.shutdownNow();
    }
  }

  private WorkerProcess startWorker(String urls, int i) throws Exception {
    return WorkerProcess.start(
        urls,
        dir.resolve("s0"),
        dir.resolve("w" + i + ".log"),
        "--heartbeat",
        "1s",
        "--slots",
        "16");
  }

  /** Submits this thread's share of the runs, moving to another replica when one is down. */
  private static int submit(List<KairosProcess> servers, int offset) throws InterruptedException {
    int retries = 0;
    for (int i = offset; i < RUNS; i += SUBMITTERS) {
      int replica = i % 3;
      while (true) {
        try {
          KairosProcess.Response r =
              servers
                  .get(replica)
                  .call(
                      "POST", "/api/v1/jobs/default/effect/runs", null, "Idempotency-Key", "k" + i);
          if (r.status() == 201 || r.status() == 200) {
            break;
          }
        } catch (Exception e) {
          // replica down (killed by the chaos thread): try the next one with the same key
        }
        retries++;
        replica = (replica + 1) % 3;
        Thread.sleep(20);
      }
    }
    return retries;
  }

  /** Every few seconds: SIGKILL a random replica, restart it two seconds later. */
  private static int killReplicas(List<KairosProcess> servers, AtomicBoolean chaos)
      throws Exception {
    Random random = new Random(42);
    int kills = 0;
    Thread.sleep(3_000);
    while (chaos.get()) {
      KairosProcess victim = servers.get(random.nextInt(3));
      victim.kill9();
      kills++;
      Thread.sleep(2_000);
      victim.start();
      Thread.sleep(3_000);
    }
    return kills;
  }

  /** SIGKILL one worker twice (at about 5 s and 15 s), restarting it each time. */
  private Void killWorkers(List<WorkerProcess> workers, String urls) throws Exception {
    for (int round = 0; round < 2; round++) {
      Thread.sleep(round == 0 ? 5_000 : 8_000);
      workers.get(1).kill9();
      Thread.sleep(2_000);
      workers.set(1, startWorker(urls, 1));
    }
    return null;
  }

  private static long count(String db, String sql) throws Exception {
    try (Connection c = DriverManager.getConnection(db);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
