package dev.kairos.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Events start the jobs that subscribe to them, once per source and id, with their data. */
class EventsTest {
  static TestServer server;
  static ApiClient api;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.sqlite();
    api = server.api();
    api.applyYaml(
        """
        apiVersion: kairos.dev/v1
        kind: Job
        metadata: {name: load-orders}
        spec:
          triggers: [{event: {type: data-ready, filter: "data.table == 'orders' && data.rows > 0"}}]
          task:
            shell: {command: 'echo "table=$KAIROS_PARAM_TABLE rows=$KAIROS_PARAM_ROWS"; echo "$KAIROS_EVENT"'}
        """);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static JsonNode waitForEnd(long run) throws Exception {
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(20))
        .until(() -> !api.get("/api/v1/runs/" + run).get("finishedAt").isNull());
    return api.get("/api/v1/runs/" + run);
  }

  @Test
  void aMatchingEventStartsTheJobOnceWithItsDataAsParameters() throws Exception {
    String event =
        """
        {"specversion": "1.0", "type": "data-ready", "source": "s3://lake/orders", "id": "e-1",
         "data": {"table": "orders", "rows": 42}}
        """;
    ApiClient.Response first = api.call("POST", "/api/v1/events", event);
    assertThat(first.status()).isEqualTo(202);
    assertThat(first.body().get("duplicate").asBoolean()).isFalse();
    assertThat(first.body().get("runs")).hasSize(1);
    long run = first.body().at("/runs/0/id").asLong();
    JsonNode ended = waitForEnd(run);
    assertThat(ended.get("state").asText()).isEqualTo("SUCCEEDED");
    assertThat(ended.get("trigger").asText()).isEqualTo("EVENT");
    String logs = api.get("/api/v1/runs/" + run + "/logs").toString();
    assertThat(logs).contains("table=orders rows=42").contains("s3://lake/orders");
    // delivered again (a retry, a redelivery): accepted, nothing started
    ApiClient.Response again = api.call("POST", "/api/v1/events", event);
    assertThat(again.status()).isEqualTo(202);
    assertThat(again.body().get("duplicate").asBoolean()).isTrue();
    assertThat(again.body().get("runs")).isEmpty();
    assertThat(again.body().get("eventId").asLong())
        .isEqualTo(first.body().get("eventId").asLong());
    // filtered out: stored, nothing started
    ApiClient.Response users =
        api.call(
            "POST",
            "/api/v1/events",
            "{\"type\": \"data-ready\", \"source\": \"s3://lake/users\", \"id\": \"e-1\","
                + " \"data\": {\"table\": \"users\", \"rows\": 5}}");
    assertThat(users.body().get("runs")).isEmpty();
  }

  @Test
  void theBinaryModeTakesHeadersAndTheBodyAsData() throws Exception {
    ApiClient.Response r =
        api.call(
            "POST",
            "/api/v1/events",
            "{\"table\": \"orders\", \"rows\": 7}",
            "ce-specversion",
            "1.0",
            "ce-type",
            "data-ready",
            "ce-source",
            "kafka://orders",
            "ce-id",
            "b-1",
            "Content-Type",
            "application/json");
    assertThat(r.status()).isEqualTo(202);
    long run = r.body().at("/runs/0/id").asLong();
    assertThat(api.get("/api/v1/runs/" + run + "/logs").toString()).isNotNull();
    waitForEnd(run);
    assertThat(api.get("/api/v1/runs/" + run + "/logs").toString()).contains("rows=7");
  }

  @Test
  void badEventsAreRejectedNamingEachFieldAndStoreNothing() throws Exception {
    ApiClient.Response missing = api.call("POST", "/api/v1/events", "{\"data\": {}}");
    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.body().toString()).contains("type").contains("source").contains("id");
    assertThat(api.call("POST", "/api/v1/events", "[1, 2]").status()).isEqualTo(400);
    ApiClient.Response notJson =
        api.call(
            "POST",
            "/api/v1/events",
            "{not json",
            "ce-type",
            "data-ready",
            "ce-source",
            "x",
            "ce-id",
            "bad-1",
            "Content-Type",
            "application/json");
    assertThat(notJson.status()).isEqualTo(400);
    assertThat(notJson.body().toString()).contains("data").contains("must be JSON");
    // nothing was stored for it: the same id with good data is a new event
    ApiClient.Response good =
        api.call(
            "POST",
            "/api/v1/events",
            "{}",
            "ce-type",
            "data-ready",
            "ce-source",
            "x",
            "ce-id",
            "bad-1",
            "Content-Type",
            "application/json");
    assertThat(good.body().get("duplicate").asBoolean()).isFalse();
  }
}
