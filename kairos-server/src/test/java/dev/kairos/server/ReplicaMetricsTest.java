package dev.kairos.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kairos.prerequisites.Part;
import dev.kairos.store.Store;
import dev.kairos.store.StoreFactory;
import dev.kairos.store.testing.PostgresFixture;
import dev.kairos.worker.Worker;
import dev.kairos.worker.WorkerConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two replicas on one PostgreSQL database, each with a worker: the task counters of the two add up
 * to the number of tasks run (each end is counted by the replica that recorded it), and the gauges
 * read from the store are the same on both (aggregate them with max).
 */
class ReplicaMetricsTest {
  @TempDir Path dir;

  @Test
  void countersAddUpAcrossReplicasAndStoreGaugesAgree() throws Exception {
    Part.POSTGRESQL.require(PostgresFixture.unavailableReason());
    List<AutoCloseable> open = new ArrayList<>();
    try (PostgresFixture pg = PostgresFixture.create()) {
      List<KairosServer> replicas = new ArrayList<>();
      for (String name : List.of("a", "b")) {
        Store store = StoreFactory.open(pg.config());
        open.add(store);
        KairosServer server =
            new KairosServer(
                ServerConfig.defaults(dir.resolve(name)).withPort(0), store, Clock.systemUTC());
        server.start();
        open.add(0, server);
        Worker worker =
            new Worker(
                WorkerConfig.defaults().withWorkRoot(dir.resolve(name + "-work")),
                server.workerProtocol());
        worker.start();
        open.add(0, () -> worker.stop(Duration.ofSeconds(2)));
        replicas.add(server);
      }
      ApiClient a = client(replicas.get(0));
      ApiClient b = client(replicas.get(1));
      a.applyYaml(
          """
          apiVersion: kairos.dev/v1
          kind: Job
          metadata: {name: shared}
          spec: {task: {empty: {}}}
          """);
      int runs = 40;
      for (int i = 0; i < runs; i++) {
        (i % 2 == 0 ? a : b).call("POST", "/api/v1/jobs/default/shared/runs", null);
      }
      Map<String, String> succeeded = Map.of("job", "shared", "status", "SUCCEEDED");
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(() ->
              assertThat(
                      value(scrape(replicas.get(0)), "kairos_tasks_total", succeeded)
                          + value(scrape(replicas.get(1)), "kairos_tasks_total", succeeded))
                  .isEqualTo(runs));
      // the store's gauges: the same figure from either replica (read at most every 5 s)
      await()
          .atMost(Duration.ofSeconds(15))
          .untilAsserted(() -> {
            String one = scrape(replicas.get(0));
            String two = scrape(replicas.get(1));
            assertThat(value(one, "kairos_workers", Map.of("pool", "default", "state", "idle")))
                .isEqualTo(2)
                .isEqualTo(
                    value(two, "kairos_workers", Map.of("pool", "default", "state", "idle")));
            assertThat(value(one, "kairos_runs_active", Map.of()))
                .isZero()
                .isEqualTo(value(two, "kairos_runs_active", Map.of()));
          });
    } finally {
      for (AutoCloseable c : open) {
        c.close();
      }
    }
  }

  static ApiClient client(KairosServer server) throws Exception {
    return new ApiClient(server.url(), Files.readString(server.adminTokenFile()).trim());
  }

  static String scrape(KairosServer server) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(server.url() + "/metrics"))
                .header(
                    "Authorization", "Bearer " + Files.readString(server.adminTokenFile()).trim())
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  /** The sum of the samples of {@code name} whose labels include {@code labels} (0 if none). */
  static double value(String text, String name, Map<String, String> labels) {
    double sum = 0;
    for (String line : text.split("\n")) {
      if (!line.startsWith(name + "{") && !line.startsWith(name + " ")) {
        continue;
      }
      if (labels.entrySet().stream()
          .allMatch(e -> line.contains(e.getKey() + "=\"" + e.getValue() + "\""))) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }
}
