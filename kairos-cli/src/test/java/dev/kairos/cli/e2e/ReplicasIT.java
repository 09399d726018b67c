package dev.kairos.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kairos.prerequisites.Part;
import dev.kairos.store.testing.PostgresFixture;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two server replicas on one PostgreSQL database and a worker that knows both: a per-second
 * schedule fires exactly once per second while one replica is killed with SIGKILL and restarted,
 * and idempotency keys hold across replicas.
 */
class ReplicasIT {
  @TempDir Path dir;

  /** Fires every second, catching up within a minute; the chaos and restart tests use it too. */
  static final String TICK =
      """
      apiVersion: kairos.dev/v1
      kind: Job
      metadata: {name: tick}
      spec:
        schedule: "* * * * * *"
        catchup: true
        startingDeadlineSeconds: 60
        history: {successfulRuns: 100000}   # every fire is counted at the end
        task: {empty: {}}
      """;

  @BeforeAll
  static void requirePostgres() {
    Part.POSTGRESQL.require(PostgresFixture.unavailableReason());
  }

  @Test
  void scheduleFiresOncePerSecondThroughAReplicaCrash() throws Exception {
    try (PostgresFixture pg = PostgresFixture.create()) {
      String db = pg.config().jdbcUrl();
      Path stateA = dir.resolve("a");
      Path stateB = dir.resolve("b");
      KairosProcess a = KairosProcess.server(stateA, "--db", db, "--lease", "3s").start();
      try (KairosProcess b = KairosProcess.server(stateB, "--db", db, "--lease", "3s").start();
          WorkerProcess worker =
              WorkerProcess.start(
                  a.url() + "," + b.url(), stateA, dir.resolve("w.log"), "--heartbeat", "1s")) {
        assertThat(a.call("PUT", "/api/v1/jobs", TICK).status()).isEqualTo(201);
        // one idempotency key, asked of both replicas: one run
        long first =
            a.call("POST", "/api/v1/jobs/default/tick/runs", null, "Idempotency-Key", "k1")
                .body()
                .get("id")
                .asLong();
        KairosProcess.Response again =
            b.call("POST", "/api/v1/jobs/default/tick/runs", null, "Idempotency-Key", "k1");
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body().get("id").asLong()).isEqualTo(first);

        Instant start = Instant.now();
        Thread.sleep(3_000);
        a.kill9();
        Instant deadFrom = Instant.now();
        Thread.sleep(4_000); // only B is alive: it must fire on its own
        Instant deadUntil = Instant.now();
        a.start();
        Thread.sleep(3_000);
        Instant end = Instant.now();

        // runs fired ahead for the seconds after the end wait for their time: leave them out
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() ->
                scheduleRuns(b, end).stream()
                    .allMatch(r -> r.get("state").asText().equals("SUCCEEDED")));
        List<JsonNode> runs = scheduleRuns(b, end);
        TreeSet<Long> seconds = new TreeSet<>();
        for (JsonNode r : runs) {
          long s = Instant.parse(r.get("fireTime").asText()).getEpochSecond();
          assertThat(seconds.add(s)).as("fire time %s twice", r.get("fireTime")).isTrue();
        }
        // every second from the first fire to the end of the test: none missed, none doubled
        for (long s = start.getEpochSecond() + 1; s <= end.getEpochSecond() - 1; s++) {
          assertThat(seconds).as("fire at second %d", s).contains(s);
        }
        assertThat(runs).allMatch(r -> r.get("state").asText().equals("SUCCEEDED"));
        // fires due while A was dead were made on time by B, not caught up later
        for (JsonNode r : runs) {
          Instant fire = Instant.parse(r.get("fireTime").asText());
          if (fire.isAfter(deadFrom.plusSeconds(1)) && fire.isBefore(deadUntil.minusSeconds(1))) {
            Instant created = Instant.parse(r.get("createdAt").asText());
            assertThat(created).as("fire %s made while A was dead", fire).isBefore(deadUntil);
          }
        }
      } finally {
        a.close();
      }
    }
  }

  /** The schedule's runs fired at or before {@code until}. */
  static List<JsonNode> scheduleRuns(KairosProcess server, Instant until) throws Exception {
    List<JsonNode> list = new ArrayList<>();
    for (JsonNode r : server.get("/api/v1/runs?job=default/tick&limit=1000").get("items")) {
      if (r.get("trigger").asText().equals("SCHEDULE")
          && !Instant.parse(r.get("fireTime").asText()).isAfter(until)) {
        list.add(r);
      }
    }
    return list;
  }
}
