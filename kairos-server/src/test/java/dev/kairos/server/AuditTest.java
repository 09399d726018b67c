package dev.kairos.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every mutating API call is in the audit log: who, what, when, from where, how it ended. */
class AuditTest {
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

  static final String JOB =
      """
      apiVersion: kairos.dev/v1
      kind: Job
      metadata: {name: audited}
      spec: {task: {empty: {}}}
      """;

  @Test
  void mutatingCallsAreRecordedNewestFirstAndReadsAreNot() throws Exception {
    api.applyYaml(JOB);
    long run =
        api.call("POST", "/api/v1/jobs/default/audited/runs", null).body().get("id").asLong();
    api.get("/api/v1/runs/" + run);
    api.call("PUT", "/api/v1/pools/audited", "{\"maxRunning\": 3}");
    // refused: invalid manifest, and no token at all
    assertThat(api.applyYaml(JOB.replace("empty: {}", "nope: {}")).status()).isEqualTo(422);
    assertThat(
            new ApiClient(server.url(), null)
                .call("POST", "/api/v1/jobs/default/audited/suspend", null)
                .status())
        .isEqualTo(401);

    JsonNode items = api.get("/api/v1/audit?limit=5").get("items");
    assertThat(items).hasSize(5);
    JsonNode anonymous = items.get(0);
    assertThat(anonymous.get("tokenName").isNull()).isTrue();
    assertThat(anonymous.get("status").asInt()).isEqualTo(401);
    assertThat(anonymous.get("path").asText()).isEqualTo("/api/v1/jobs/default/audited/suspend");
    JsonNode invalid = items.get(1);
    assertThat(invalid.get("status").asInt()).isEqualTo(422);
    assertThat(invalid.get("path").asText()).isEqualTo("/api/v1/jobs");
    JsonNode pool = items.get(2);
    assertThat(pool.get("method").asText()).isEqualTo("PUT");
    assertThat(pool.get("route").asText()).isEqualTo("/api/v1/pools/{pool}");
    assertThat(pool.get("path").asText()).isEqualTo("/api/v1/pools/audited");
    JsonNode trigger = items.get(3);
    assertThat(trigger.get("route").asText()).isEqualTo("/api/v1/jobs/{namespace}/{name}/runs");
    assertThat(trigger.get("status").asInt()).isEqualTo(201);
    JsonNode apply = items.get(4);
    assertThat(apply.get("subject").asText()).isEqualTo("default/audited version 1 created");
    for (JsonNode e : items) {
      if (!e.get("tokenName").isNull()) {
        assertThat(e.get("tokenName").asText()).isEqualTo("admin");
      }
      assertThat(e.get("remote").asText()).isIn("127.0.0.1", "0:0:0:0:0:0:0:1");
      assertThat(e.get("at").asText()).endsWith("Z");
      assertThat(e.get("method").asText()).isNotEqualTo("GET");
      assertThat(e.get("path").asText()).doesNotStartWith("/api/v1/worker/");
    }
  }

  @Test
  void theLogIsReadAPageAtATimeAndByToken() throws Exception {
    for (int i = 0; i < 3; i++) {
      api.applyYaml(JOB.replace("audited", "paged-" + i));
    }
    List<Long> ids = new ArrayList<>();
    String next = null;
    do {
      JsonNode page =
          api.get("/api/v1/audit?limit=2&token=admin" + (next == null ? "" : "&before=" + next));
      page.get("items").forEach(e -> ids.add(e.get("id").asLong()));
      next = page.get("next").isNull() ? null : page.get("next").asText();
    } while (next != null);
    assertThat(ids)
        .hasSizeGreaterThanOrEqualTo(3)
        .isSortedAccordingTo((a, b) -> Long.compare(b, a));
    assertThat(api.get("/api/v1/audit?token=nobody").get("items")).isEmpty();
    ApiClient.Response bad = api.call("GET", "/api/v1/audit?limit=0", null);
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.body().toString()).contains("limit").contains("1 to 1000");
  }
}
