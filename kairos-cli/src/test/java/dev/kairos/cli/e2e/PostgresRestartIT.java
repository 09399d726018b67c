package dev.kairos.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kairos.prerequisites.Part;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL restarting mid-load loses nothing. A server and a remote worker run on a private
 * PostgreSQL instance (never the shared one) while clients keep creating runs with idempotency
 * keys, a per-second schedule fires, and shell tasks are running on the worker; the database is
 * stopped the way a crash would stop it ({@code pg_ctl -m immediate}, so the restart replays the
 * WAL) and started again on the same port. Without the test restarting the server or the worker:
 * both are still running, every key the server acknowledged has exactly one run and that run
 * SUCCEEDED (tasks that ended during the outage, or outlived it, too: their lapsed leases are not
 * taken for dead workers), no key has two runs, runs created after the restart succeed, the
 * schedule fired every second once, and the API answers again.
 */
class PostgresRestartIT {
  /**
   * How long PostgreSQL stays down: longer than the server's wait for a pooled connection (10 s),
   * so that requests fail during the outage instead of only waiting, and longer than the lease, so
   * that every lease lapses.
   */
  static final int DOWN_SECONDS = Integer.getInteger("kairos.pgrestart.downSeconds", 12);

  static final int CLIENTS = 2;

  static final String ONCE =
      """
      apiVersion: kairos.dev/v1
      kind: Job
      metadata: {name: once}
      spec:
        history: {successfulRuns: 100000, failedRuns: 100000}   # every run is counted at the end
        task: {empty: {}}
      """;

  /** Running when the database goes, done before it is back: its outcome waits on the worker. */
  static final String SHORT =
      """
      apiVersion: kairos.dev/v1
      kind: Job
      metadata: {name: short}
      spec:
        task: {shell: {command: "sleep 2"}}
      """;

  /** Running before, during and after the outage: its worker must keep the lease. */
  static final String LONG =
      """
      apiVersion: kairos.dev/v1
      kind: Job
      metadata: {name: long}
      spec:
        task: {shell: {command: "sleep %d"}}
      """
          .formatted(DOWN_SECONDS + 4);

  @TempDir Path dir;

  @BeforeAll
  static void requirePostgresBinaries() {
    Part.POSTGRESQL_BINARIES.require(PrivatePostgres.unavailableReason());
  }

  @Test
  void nothingAcknowledgedIsLostWhenPostgresRestartsMidLoad() throws Exception {
    try (PrivatePostgres pg = PrivatePostgres.start()) {
      String db = pg.jdbcUrl();
      Path state = dir.resolve("server");
      try (KairosProcess server = KairosProcess.server(state, "--db", db, "--lease", "3s").start();
          WorkerProcess worker =
              WorkerProcess.start(
                  server.url(), state, dir.resolve("worker.log"), "--heartbeat", "1s")) {
        for (String job : List.of(ONCE, SHORT, LONG, ReplicasIT.TICK)) {
          assertThat(server.call("PUT", "/api/v1/jobs", job).status()).isEqualTo(201);
        }
        try (Client client = new Client(server)) {
          client.start(CLIENTS);
          Thread.sleep(2_000);
          List<Long> inFlight = new ArrayList<>();
          for (int i = 0; i < 2; i++) {
            inFlight.add(client.submit("short", "short-" + i));
            inFlight.add(client.submit("long", "long-" + i));
          }
          await().atMost(Duration.ofSeconds(20)).until(() -> allRunning(server, inFlight));

          long outageStart = System.nanoTime();
          pg.restart(Duration.ofSeconds(DOWN_SECONDS));
          long outageMillis = (System.nanoTime() - outageStart) / 1_000_000;
          Instant back = Instant.now();
          Thread.sleep(5_000);
          client.stopAndJoin();
          Instant end = Instant.now();
          System.out.printf(
              "pg-restart: down=%ds outage=%dms failedRequests=%d inFlight=%d%n",
              DOWN_SECONDS, outageMillis, client.failedRequests.get(), inFlight.size());
          assertRecovered(server, worker);
          await()
              .atMost(Duration.ofSeconds(60))
              .pollInterval(Duration.ofMillis(500))
              .until(() -> activeRuns(db, end) == 0);
          assertNothingLost(db, client, back);
          assertScheduleFiredEverySecondOnce(db, back, end);
          assertThat(server.alive()).as("server still running at the end").isTrue();
          assertThat(worker.alive()).as("worker still running at the end").isTrue();
        }
      }
    }
  }

  /** Both processes reconnected by themselves (the test restarted neither); the API answers. */
  private static void assertRecovered(KairosProcess server, WorkerProcess worker) throws Exception {
    assertThat(server.alive()).as("server still running").isTrue();
    assertThat(worker.alive()).as("worker still running").isTrue();
    assertThat(server.call("GET", "/healthz", null).status()).isEqualTo(200);
    // an authenticated call reads the store (the token) through the reconnected pool
    assertThat(server.call("GET", "/api/v1/jobs", null).status()).isEqualTo(200);
  }

  /** Every acknowledged key has its one run, SUCCEEDED; no key has two runs. */
  private static void assertNothingLost(String db, Client client, Instant back) throws Exception {
    Map<String, List<Run>> byKey = new HashMap<>();
    for (Run r :
        runs(db, "SELECT " + COLUMNS + " FROM runs WHERE trigger_kind = 'MANUAL' ORDER BY id")) {
      byKey.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r);
    }
    List<Run> runs = byKey.values().stream().flatMap(List::stream).toList();
    List<String> duplicates =
        byKey.entrySet().stream()
            .filter(e -> e.getValue().size() > 1)
            .map(e -> e.getKey())
            .toList();
    List<String> lost = new ArrayList<>();
    List<Run> notSucceeded = new ArrayList<>();
    for (Ack ack : client.acks.values()) {
      List<Run> forKey = byKey.getOrDefault(ack.key(), List.of());
      if (forKey.size() != 1 || forKey.get(0).id() != ack.runId()) {
        lost.add(ack + " -> " + forKey);
      } else if (!forKey.get(0).state().equals("SUCCEEDED")) {
        notSucceeded.add(forKey.get(0));
      }
    }
    List<Ack> afterRestart =
        client.acks.values().stream().filter(a -> a.firstSent().isAfter(back)).toList();
    System.out.printf(
        "pg-restart: acknowledged=%d runs=%d succeeded=%d duplicates=%d lost=%d notSucceeded=%d"
            + " acknowledgedAfterRestart=%d%n",
        client.acks.size(),
        runs.size(),
        runs.stream().filter(r -> r.state().equals("SUCCEEDED")).count(),
        duplicates.size(),
        lost.size(),
        notSucceeded.size(),
        afterRestart.size());
    assertThat(duplicates).as("keys with more than one run").isEmpty();
    assertThat(lost).as("acknowledged keys without their one run").isEmpty();
    assertThat(notSucceeded).as("acknowledged runs that did not succeed").isEmpty();
    assertThat(afterRestart).as("runs acknowledged after the restart").isNotEmpty();
  }

  /** The schedule fired every second from its first fire to the end, once, and each succeeded. */
  private static void assertScheduleFiredEverySecondOnce(String db, Instant back, Instant end)
      throws Exception {
    // runs fired ahead for the seconds after the end wait for their time: leave them out
    List<Run> runs =
        runs(
            db,
            "SELECT "
                + COLUMNS
                + " FROM runs WHERE job_name = 'tick' AND trigger_kind = 'SCHEDULE'"
                + " AND fire_time <= ?",
            end.toEpochMilli());
    TreeSet<Long> fires = new TreeSet<>();
    List<Long> doubled = new ArrayList<>();
    for (Run r : runs) {
      if (!fires.add(r.fireSecond())) {
        doubled.add(r.fireSecond());
      }
    }
    List<Long> missed = new ArrayList<>();
    for (long s = fires.isEmpty() ? 0 : fires.first(); s < end.getEpochSecond(); s++) {
      if (!fires.contains(s)) {
        missed.add(s);
      }
    }
    List<Run> notSucceeded = runs.stream().filter(r -> !r.state().equals("SUCCEEDED")).toList();
    System.out.printf(
        "pg-restart: cronFires=%d doubleFires=%d missedFires=%d notSucceeded=%d%n",
        fires.size(), doubled.size(), missed.size(), notSucceeded.size());
    assertThat(fires).as("schedule fires").isNotEmpty();
    assertThat(fires.last()).as("last fire second").isGreaterThan(back.getEpochSecond());
    assertThat(doubled).as("seconds fired twice").isEmpty();
    assertThat(missed).as("seconds the schedule missed").isEmpty();
    assertThat(notSucceeded).as("schedule runs that did not succeed").isEmpty();
  }

  /** A run as read from the database. */
  record Run(long id, String job, String key, String state, String reason, long fireSecond) {}

  /** A key the server acknowledged, with the run it named, and when the key was first sent. */
  record Ack(String key, long runId, Instant firstSent) {}

  /**
   * Clients creating runs one after another, each with a fresh idempotency key. A request that
   * fails (no answer, or a 5xx) is sent again with the same key until the server acknowledges it,
   * as a real client would.
   */
  static final class Client implements AutoCloseable {
    private static final Duration GIVE_UP_AFTER = Duration.ofSeconds(60);

    private final KairosProcess server;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Future<Void>> threads = new ArrayList<>();
    private ExecutorService pool;
    final Map<String, Ack> acks = new ConcurrentHashMap<>();
    final AtomicInteger failedRequests = new AtomicInteger();

    Client(KairosProcess server) {
      this.server = server;
    }

    /** Starts {@code n} threads creating runs of {@code once}. */
    void start(int n) {
      pool = Executors.newFixedThreadPool(n);
      for (int t = 0; t < n; t++) {
        int id = t;
        threads.add(pool.submit(() -> submitUntilStopped(id)));
      }
    }

    /** Stops the threads after their current key; throws what a thread failed with. */
    void stopAndJoin() throws Exception {
      running.set(false);
      for (Future<Void> f : threads) {
        f.get(); // a 4xx, or a key never acknowledged
      }
    }

    @Override
    public void close() {
      running.set(false);
      if (pool != null) {
        pool.shutdownNow();
      }
    }

    private Void submitUntilStopped(int id) throws Exception {
      for (int n = 0; running.get(); n++) {
        submit("once", "c" + id + "-" + n);
        Thread.sleep(20);
      }
      return null;
    }

    /** Creates a run of {@code job} with {@code key}, retrying until acknowledged; its id. */
    long submit(String job, String key) throws Exception {
      Instant first = Instant.now();
      while (true) {
        try {
          KairosProcess.Response r =
              server.call(
                  "POST", "/api/v1/jobs/default/" + job + "/runs", null, "Idempotency-Key", key);
          if ((r.status() == 201 || r.status() == 200) && r.body().hasNonNull("id")) {
            long runId = r.body().get("id").asLong();
            acks.put(key, new Ack(key, runId, first));
            return runId;
          }
          if (r.status() < 500) {
            throw new IllegalStateException("key " + key + ": unexpected answer " + r);
          }
        } catch (IOException e) {
          // no answer: the same key again below
        }
        failedRequests.incrementAndGet();
        if (Duration.between(first, Instant.now()).compareTo(GIVE_UP_AFTER) > 0) {
          throw new IllegalStateException(
              "key " + key + " not acknowledged within " + GIVE_UP_AFTER + ": " + server.log());
        }
        Thread.sleep(100);
      }
    }
  }

  private static boolean allRunning(KairosProcess server, List<Long> runIds) throws Exception {
    for (long id : runIds) {
      if (!server.get("/api/v1/runs/" + id).get("state").asText().equals("RUNNING")) {
        return false;
      }
    }
    return true;
  }

  /** Runs created by clients, and schedule runs fired up to {@code until}, not yet ended. */
  private static long activeRuns(String db, Instant until) throws Exception {
    try (Connection c = DriverManager.getConnection(db);
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT count(*) FROM runs WHERE state IN ('PENDING', 'RUNNING')"
                    + " AND (trigger_kind = 'MANUAL' OR fire_time <= ?)")) {
      ps.setLong(1, until.toEpochMilli());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static final String COLUMNS = "id, job_name, idempotency_key, state, reason, fire_time";

  private static List<Run> runs(String db, String sql, long... params) throws Exception {
    List<Run> list = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(db);
        PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        ps.setLong(i + 1, params[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          list.add(
              new Run(
                  rs.getLong(1),
                  rs.getString(2),
                  rs.getString(3),
                  rs.getString(4),
                  rs.getString(5),
                  rs.getLong(6) / 1000));
        }
      }
    }
    return list;
  }
}
