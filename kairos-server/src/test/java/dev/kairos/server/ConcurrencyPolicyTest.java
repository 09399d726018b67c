package dev.kairos.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** concurrencyPolicy with a real server, worker and SQLite store; a schedule every second. */
class ConcurrencyPolicyTest {
  TestServer server;
  ApiClient api;

  @BeforeEach
  void start() throws Exception {
    server = TestServer.sqlite();
    api = server.api();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  static String job(String name, String policy, String command) {
    return """
    apiVersion: kairos.dev/v1
    kind: Job
    metadata: {name: %s}
    spec:
      schedule: "* * * * * *"
      concurrencyPolicy: %s
      task:
        shell: {command: "%s"}
    """
        .formatted(name, policy, command);
  }

  List<JsonNode> runs(String job) throws Exception {
    List<JsonNode> list = new ArrayList<>();
    api.get("/api/v1/runs?limit=1000&job=default/" + job).get("items").forEach(list::add);
    return list;
  }

  static long count(List<JsonNode> runs, String state) {
    return runs.stream().filter(r -> r.get("state").asText().equals(state)).count();
  }

  @Test
  void forbidSkipsFiresWhileARunIsActiveAndRecordsThem() throws Exception {
    assertThat(api.applyYaml(job("forbid", "Forbid", "sleep 3")).status()).isEqualTo(201);
    await().atMost(Duration.ofSeconds(15)).until(() -> count(runs("forbid"), "SKIPPED") >= 2);
    List<JsonNode> runs = runs("forbid");
    JsonNode skipped =
        runs.stream().filter(r -> r.get("state").asText().equals("SKIPPED")).findFirst().get();
    assertThat(skipped.get("reason").asText()).contains("Forbid");
    assertThat(skipped.get("trigger").asText()).isEqualTo("SCHEDULE");
    assertThat(count(runs, "PENDING") + count(runs, "RUNNING")).isLessThanOrEqualTo(1);
    // skipped fires are listable by state
    JsonNode byState = api.get("/api/v1/runs?state=SKIPPED&job=default/forbid");
    assertThat(byState.get("items").size()).isGreaterThanOrEqualTo(2);
  }

  @Test
  void replaceCancelsTheActiveRunAndStartsTheNewOne() throws Exception {
    api.applyYaml(job("replace", "Replace", "sleep 30"));
    await().atMost(Duration.ofSeconds(15)).until(() -> count(runs("replace"), "CANCELLED") >= 2);
    List<JsonNode> runs = runs("replace");
    assertThat(count(runs, "PENDING") + count(runs, "RUNNING")).isLessThanOrEqualTo(1);
    JsonNode cancelled =
        runs.stream().filter(r -> r.get("state").asText().equals("CANCELLED")).findFirst().get();
    assertThat(cancelled.get("reason").asText()).containsIgnoringCase("replace");
    // the replaced run's attempt is killed and ends CANCELLED, not left running
    long id = cancelled.get("id").asLong();
    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> {
          JsonNode attempts = api.get("/api/v1/runs/" + id).get("attempts");
          return attempts.size() > 0
              && attempts.get(attempts.size() - 1).get("state").asText().equals("CANCELLED");
        });
  }

  @Test
  void allowRunsOverlappingRunsSideBySide() throws Exception {
    api.applyYaml(job("allow", "Allow", "sleep 4"));
    await().atMost(Duration.ofSeconds(15)).until(() -> count(runs("allow"), "RUNNING") >= 2);
    assertThat(count(runs("allow"), "SKIPPED")).isZero();
  }
}
