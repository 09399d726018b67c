package dev.kairos.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Pools, workers and why an attempt waits, through the API of a server with its local worker. */
class PoolsApiTest {
  static TestServer server;
  static ApiClient api;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.sqlite();
    api = server.api();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static JsonNode pool(String name) throws Exception {
    for (JsonNode p : api.get("/api/v1/pools").get("items")) {
      if (p.get("pool").asText().equals(name)) {
        return p;
      }
    }
    return null;
  }

  @Test
  void theLocalWorkerIsListedWithItsCapacity() throws Exception {
    await().atMost(Duration.ofSeconds(10)).until(() -> pool("default") != null);
    JsonNode p = pool("default");
    assertThat(p.at("/total/liveWorkers").asInt()).isEqualTo(1);
    assertThat(p.at("/total/slots").asInt()).isEqualTo(64);
    assertThat(p.at("/clusters/0/cluster").asText()).isEqualTo("default");
    assertThat(p.get("priorityAging").asText()).isEqualTo("1s");
    JsonNode workers = api.get("/api/v1/workers").get("items");
    assertThat(workers).hasSize(1);
    assertThat(workers.get(0).get("pool").asText()).isEqualTo("default");
    assertThat(api.get("/api/v1/pools/nobody").at("/total/liveWorkers").asInt()).isZero();
  }

  @Test
  void anAttemptNoWorkerCanRunSaysWhy() throws Exception {
    api.applyYaml(
        """
        apiVersion: kairos.dev/v1
        kind: Job
        metadata: {name: enormous}
        spec:
          resources: {requests: {cpu: "512", memory: 1Gi}}
          task: {empty: {}}
        """);
    long id =
        api.call("POST", "/api/v1/jobs/default/enormous/runs", null).body().get("id").asLong();
    JsonNode attempt = api.get("/api/v1/runs/" + id).at("/attempts/0");
    assertThat(attempt.get("state").asText()).isEqualTo("QUEUED");
    assertThat(attempt.at("/requests/cpu").asText()).isEqualTo("512");
    assertThat(attempt.get("waiting").asText())
        .startsWith("no worker in pool default has 512 cpu; largest is ")
        .endsWith("(it waits for a bigger worker)");
    api.call("POST", "/api/v1/runs/" + id + "/cancel", null);

    api.applyYaml(
        """
        apiVersion: kairos.dev/v1
        kind: Job
        metadata: {name: nowhere}
        spec:
          placement: {pool: gpu}
          task: {empty: {}}
        """);
    long other =
        api.call("POST", "/api/v1/jobs/default/nowhere/runs", null).body().get("id").asLong();
    assertThat(api.get("/api/v1/runs/" + other).at("/attempts/0/waiting").asText())
        .isEqualTo("no live worker in pool gpu");
    JsonNode gpu = pool("gpu");
    assertThat(gpu.at("/total/backlog").asInt()).isEqualTo(1);
    assertThat(gpu.get("backlogAnyCluster").asInt()).isEqualTo(1);
    api.call("POST", "/api/v1/runs/" + other + "/cancel", null);
  }

  @Test
  void poolSettingsAreCheckedFieldByFieldAndKept() throws Exception {
    ApiClient.Response bad =
        api.call("PUT", "/api/v1/pools/batch", "{\"maxRunning\": 0, \"priorityAging\": \"soon\"}");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.body().toString()).contains("maxRunning").contains("priorityAging");
    assertThat(api.call("PUT", "/api/v1/pools/Bad_Name", "{}").status()).isEqualTo(400);
    ApiClient.Response ok =
        api.call("PUT", "/api/v1/pools/batch", "{\"maxRunning\": 4, \"priorityAging\": \"250ms\"}");
    assertThat(ok.status()).isEqualTo(200);
    assertThat(ok.body().get("maxRunning").asInt()).isEqualTo(4);
    assertThat(pool("batch").get("priorityAging").asText()).isEqualTo("250ms");
    assertThat(pool("batch").get("order").asText()).isEqualTo("fifo");
    assertThat(pool("batch").get("orderWindow").isNull()).isTrue();
  }

  @Test
  void shortestPredictedFirstIsCheckedAndShowsItsWindow() throws Exception {
    ApiClient.Response unknown =
        api.call("PUT", "/api/v1/pools/spf", "{\"order\": \"shortest-job\"}");
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.body().toString())
        .contains("order")
        .contains("must be fifo, shortest-predicted-first");
    ApiClient.Response tooWide =
        api.call(
            "PUT",
            "/api/v1/pools/spf",
            "{\"order\": \"shortest-predicted-first\", \"orderWindow\": \"5m\"}");
    assertThat(tooWide.status()).isEqualTo(400);
    assertThat(tooWide.body().toString())
        .contains("orderWindow")
        .contains("must be at most priorityAging (1s)");
    ApiClient.Response fifoWindow =
        api.call("PUT", "/api/v1/pools/spf", "{\"orderWindow\": \"5m\"}");
    assertThat(fifoWindow.status()).isEqualTo(400);
    assertThat(fifoWindow.body().toString()).contains("applies only with order");
    assertThat(pool("spf")).as("a refused change stores nothing").isNull();

    ApiClient.Response byDefault =
        api.call("PUT", "/api/v1/pools/spf", "{\"order\": \"shortest-predicted-first\"}");
    assertThat(byDefault.status()).isEqualTo(200);
    assertThat(byDefault.body().get("order").asText()).isEqualTo("shortest-predicted-first");
    assertThat(byDefault.body().get("orderWindow").asText())
        .as("the default window, capped just under the 1s aging")
        .isEqualTo("999ms");
    ApiClient.Response wide =
        api.call(
            "PUT",
            "/api/v1/pools/spf",
            "{\"priorityAging\": \"0s\", \"order\": \"shortest-predicted-first\","
                + " \"orderWindow\": \"10m\"}");
    assertThat(wide.status()).isEqualTo(200);
    assertThat(pool("spf").get("orderWindow").asText()).isEqualTo("10m");
  }
}
