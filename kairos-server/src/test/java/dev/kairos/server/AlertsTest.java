package dev.kairos.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Alerts delivered to a real local HTTP receiver: signed, retried, once per run and webhook. */
class AlertsTest {
  static TestServer server;
  static ApiClient api;
  static HttpServer receiver;
  static final List<Received> received = new CopyOnWriteArrayList<>();
  static final AtomicInteger flakyCalls = new AtomicInteger();
  static final ObjectMapper JSON = new ObjectMapper();

  record Received(String path, Map<String, List<String>> headers, String body) {
    String header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().get(0))
          .findFirst()
          .orElse(null);
    }
  }

  @BeforeAll
  static void start() throws Exception {
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext(
        "/",
        exchange -> {
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          String path = exchange.getRequestURI().getPath();
          received.add(new Received(path, Map.copyOf(exchange.getRequestHeaders()), body));
          // the flaky endpoint fails its first call
          int status = path.equals("/flaky") && flakyCalls.getAndIncrement() == 0 ? 503 : 200;
          exchange.sendResponseHeaders(status, -1);
          exchange.close();
        });
    receiver.start();
    server = TestServer.sqlite();
    api = server.api();
  }

  @AfterAll
  static void stop() {
    server.close();
    receiver.stop(0);
  }

  static String hook(String path) {
    return "http://127.0.0.1:" + receiver.getAddress().getPort() + path;
  }

  static List<Received> to(String path, long run) {
    return received.stream()
        .filter(r -> r.path().equals(path) && r.body().contains(String.valueOf(run)))
        .toList();
  }

  @Test
  void aFailedRunIsAlertedOncePerWebhookSignedAndInEachFormat() throws Exception {
    api.applyYaml(
        """
        apiVersion: kairos.dev/v1
        kind: Job
        metadata: {name: breaks}
        spec:
          alerts:
            webhooks:
              - {url: "%s"}
              - {url: "%s", format: slack, on: [runFailed]}
          task: {shell: {command: "exit 3"}}
        """
            .formatted(hook("/ops"), hook("/slack/T000/B000/secret-path")));
    long run = api.runToEnd("breaks");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> !to("/ops", run).isEmpty() && !to("/slack/T000/B000/secret-path", run).isEmpty());
    Received ops = to("/ops", run).get(0);
    JsonNode body = JSON.readTree(ops.body());
    assertThat(body.get("kind").asText()).isEqualTo("runFailed");
    assertThat(body.get("job").asText()).isEqualTo("breaks");
    assertThat(body.get("run").asLong()).isEqualTo(run);
    assertThat(body.get("detail").asText()).contains("exit code 3");
    assertThat(ops.header("X-Kairos-Alert")).isEqualTo("runFailed");
    // the signature checks out with the cluster's key
    Path key = server.server().adminTokenFile().resolveSibling("alert-signing.key");
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(
        new SecretKeySpec(
            Files.readString(key).trim().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    String expected =
        java.util.HexFormat.of()
            .formatHex(
                mac.doFinal(
                    (ops.header("X-Kairos-Timestamp") + "." + ops.body())
                        .getBytes(StandardCharsets.UTF_8)));
    assertThat(ops.header("X-Kairos-Signature")).isEqualTo("sha256=" + expected);
    Received slack = to("/slack/T000/B000/secret-path", run).get(0);
    assertThat(JSON.readTree(slack.body()).get("text").asText())
        .contains("default/breaks")
        .contains("failed");
    // delivered, visible in the API, the webhook's secret path hidden
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> {
          JsonNode items = api.get("/api/v1/alerts?run=" + run).get("items");
          assertThat(items).hasSize(2);
          items.forEach(a -> assertThat(a.get("state").asText()).isEqualTo("DELIVERED"));
          assertThat(items.toString()).doesNotContain("secret-path").contains("/…");
        });
    // once per run and webhook, however long we wait
    Thread.sleep(2_000);
    assertThat(to("/ops", run)).hasSize(1);
  }

  @Test
  void aWebhookThatFailsIsTriedAgain() throws Exception {
    api.applyYaml(
        """
        apiVersion: kairos.dev/v1
        kind: Job
        metadata: {name: flaky-alert}
        spec:
          alerts: {webhooks: [{url: "%s"}]}
          task: {shell: {command: "exit 1"}}
        """
            .formatted(hook("/flaky")));
    long run = api.runToEnd("flaky-alert");
    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(() -> {
          JsonNode items = api.get("/api/v1/alerts?run=" + run).get("items");
          assertThat(items).hasSize(1);
          JsonNode a = items.get(0);
          assertThat(a.get("state").asText()).isEqualTo("DELIVERED");
          assertThat(a.get("attempts").asInt()).isEqualTo(2);
        });
    assertThat(to("/flaky", run)).hasSize(2);
    assertThat(to("/flaky", run).get(0).header("X-Kairos-Delivery"))
        .isEqualTo(to("/flaky", run).get(1).header("X-Kairos-Delivery"));
  }

  @Test
  void aRunPastItsSlaIsAlertedWhileItRuns() throws Exception {
    api.applyYaml(
        """
        apiVersion: kairos.dev/v1
        kind: Job
        metadata: {name: slow}
        spec:
          alerts: {sla: 1s, webhooks: [{url: "%s", on: [slaExceeded]}]}
          task: {shell: {command: "sleep 15"}}
        """
            .formatted(hook("/sla")));
    long run = api.call("POST", "/api/v1/jobs/default/slow/runs", null).body().get("id").asLong();
    try {
      await().atMost(Duration.ofSeconds(15)).until(() -> !to("/sla", run).isEmpty());
      assertThat(JSON.readTree(to("/sla", run).get(0).body()).get("kind").asText())
          .isEqualTo("slaExceeded");
      assertThat(api.get("/api/v1/runs/" + run).get("finishedAt").isNull()).isTrue();
    } finally {
      api.call("POST", "/api/v1/runs/" + run + "/cancel", null);
    }
  }

  @Test
  void aRunPredictedToMissItsDeadlineIsAlertedBeforeTheDeadline() throws Exception {
    String job =
        """
        apiVersion: kairos.dev/v1
        kind: Job
        metadata: {name: tight}
        spec:
          %s
          alerts: {webhooks: [{url: "%s", on: [slaAtRisk]}]}
          task: {shell: {command: "sleep 2"}}
        """;
    api.applyYaml(job.formatted("", hook("/risk")));
    for (int i = 0; i < 3; i++) {
      api.runToEnd("tight"); // the history: about 2 s a run
    }
    api.applyYaml(job.formatted("deadline: 1500ms", hook("/risk")));
    long run = api.call("POST", "/api/v1/jobs/default/tight/runs", null).body().get("id").asLong();
    java.time.Instant created =
        java.time.Instant.parse(api.get("/api/v1/runs/" + run).get("createdAt").asText());
    await().atMost(Duration.ofSeconds(10)).until(() -> !to("/risk", run).isEmpty());
    JsonNode alert = JSON.readTree(to("/risk", run).get(0).body());
    assertThat(alert.get("kind").asText()).isEqualTo("slaAtRisk");
    assertThat(alert.get("detail").asText()).startsWith("predicted to finish at ");
    // raised before the deadline passed
    assertThat(java.time.Instant.parse(alert.get("raisedAt").asText()))
        .isBefore(created.plusMillis(1500));
  }

  @Test
  void badAlertSpecsAndQueriesAreRejectedNamingTheField() throws Exception {
    ApiClient.Response bad =
        api.applyYaml(
            """
            apiVersion: kairos.dev/v1
            kind: Job
            metadata: {name: badalerts}
            spec:
              alerts: {sla: soon, webhooks: [{url: "ftp://x", format: teams, on: [runFailde]}]}
              task: {empty: {}}
            """);
    assertThat(bad.status()).isEqualTo(422);
    assertThat(bad.body().toString())
        .contains("spec.alerts.sla")
        .contains("spec.alerts.webhooks[0].url")
        .contains("spec.alerts.webhooks[0].format")
        .contains("did you mean runFailed?");
    assertThat(api.call("GET", "/api/v1/jobs/default/badalerts", null).status()).isEqualTo(404);
    assertThat(api.call("GET", "/api/v1/alerts?state=lost", null).status()).isEqualTo(400);
  }
}
