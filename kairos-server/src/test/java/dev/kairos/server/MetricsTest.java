package dev.kairos.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code GET /metrics} of a server with its local worker, read as Prometheus would. */
class MetricsTest {
  static TestServer server;
  static ApiClient api;
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.sqlite();
    api = server.api();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static HttpResponse<String> scrape(String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + "/metrics"));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static String metrics() throws Exception {
    HttpResponse<String> r = scrape(Files.readString(server.server().adminTokenFile()).trim());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
    return r.body();
  }

  /** The value of the sample {@code name} whose labels include {@code labels}; null if none. */
  static Double sample(String text, String name, Map<String, String> labels) {
    Pattern line =
        Pattern.compile("^" + Pattern.quote(name) + "\\{(.*)} (\\S+)$", Pattern.MULTILINE);
    Matcher m = line.matcher(text);
    while (m.find()) {
      String have = m.group(1);
      if (labels.entrySet().stream()
          .allMatch(e -> have.contains(e.getKey() + "=\"" + e.getValue() + "\""))) {
        return Double.parseDouble(m.group(2));
      }
    }
    return null;
  }

  @Test
  void metricsNeedAnAdminToken() throws Exception {
    assertThat(scrape(null).statusCode()).isEqualTo(401);
    assertThat(scrape("kairos_not-a-token").statusCode()).isEqualTo(401);
    // refused requests are timed too
    assertThat(
            sample(
                metrics(),
                "http_server_requests_seconds_count",
                Map.of("route", "/metrics", "status", "401")))
        .isGreaterThanOrEqualTo(2.0);
  }

  @Test
  void endedAttemptsAreCountedAndTimedByJobTaskAndStatus() throws Exception {
    api.applyYaml(
        """
        apiVersion: kairos.dev/v1
        kind: Job
        metadata: {name: counted}
        spec:
          tasks:
            - {name: first, empty: {}}
            - {name: second, dependsOn: [first], shell: {command: "exit 3"}}
        """);
    long run1 = api.runToEnd("counted");
    long run2 = api.runToEnd("counted");
    String text = metrics();
    Map<String, String> first =
        Map.of("namespace", "default", "job", "counted", "task", "first", "status", "SUCCEEDED");
    assertThat(sample(text, "kairos_tasks_total", first)).isEqualTo(2.0);
    assertThat(
            sample(
                text,
                "kairos_tasks_total",
                Map.of("job", "counted", "task", "second", "status", "FAILED")))
        .isEqualTo(2.0);
    assertThat(
            sample(
                text,
                "kairos_task_duration_seconds_count",
                Map.of("job", "counted", "task", "second")))
        .isEqualTo(2.0);
    assertThat(
            sample(
                text,
                "kairos_task_duration_seconds_bucket",
                Map.of("job", "counted", "task", "first", "le", "+Inf")))
        .isEqualTo(2.0);
    // bounded labels: no run or attempt id is a label value
    assertThat(text).doesNotContain("=\"" + run1 + "\"").doesNotContain("=\"" + run2 + "\"");
    assertThat(
            sample(
                text,
                "http_server_requests_seconds_count",
                Map.of("method", "POST", "route", "/api/v1/jobs/{namespace}/{name}/runs")))
        .isNotNull();
    assertThat(text).contains("jvm_memory_used_bytes{");
  }

  @Test
  void storeGaugesShowWorkersBacklogAndActiveRuns() throws Exception {
    api.applyYaml(
        """
        apiVersion: kairos.dev/v1
        kind: Job
        metadata: {name: stranded}
        spec:
          placement: {pool: nowhere}
          task: {empty: {}}
        """);
    long id =
        api.call("POST", "/api/v1/jobs/default/stranded/runs", null).body().get("id").asLong();
    try {
      // gauges are read at most every 5 s
      await()
          .atMost(Duration.ofSeconds(15))
          .untilAsserted(() -> {
            String text = metrics();
            assertThat(
                    sample(
                        text, "kairos_queue_backlog", Map.of("pool", "nowhere", "cluster", "any")))
                .isEqualTo(1.0);
            assertThat(
                    sample(
                        text,
                        "kairos_queue_oldest_wait_seconds",
                        Map.of("pool", "nowhere", "cluster", "any")))
                .isNotNull();
            assertThat(text).containsPattern("(?m)^kairos_runs_held 0");
            assertThat(text).containsPattern("(?m)^kairos_runs_active [1-9]");
            assertThat(
                    sample(
                        text,
                        "kairos_workers",
                        Map.of("pool", "default", "cluster", "default", "state", "idle")))
                .isEqualTo(1.0);
          });
    } finally {
      api.call("POST", "/api/v1/runs/" + id + "/cancel", null);
    }
  }

  @Test
  void scheduleFiresRecordTheirDelay() throws Exception {
    api.applyYaml(
        """
        apiVersion: kairos.dev/v1
        kind: Job
        metadata: {name: ticking}
        spec:
          schedule: "* * * * * *"
          concurrencyPolicy: Forbid
          task: {empty: {}}
        """);
    try {
      await()
          .atMost(Duration.ofSeconds(15))
          .untilAsserted(() ->
              assertThat(metrics()).containsPattern("(?m)^kairos_fire_delay_seconds_count [1-9]"));
    } finally {
      api.call("DELETE", "/api/v1/jobs/default/ticking", null);
    }
  }
}
