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

    JsonNode items = api.get("/api/v1/audit?limit=4").get("items");
    assertThat(items).hasSize(4);
    // the call without a token is counted, not written (a flood of them would fill the store)
    JsonNode invalid = items.get(0);
    assertThat(invalid.get("status").asInt()).isEqualTo(422);
    assertThat(invalid.get("path").asText()).isEqualTo("/api/v1/jobs");
    JsonNode pool = items.get(1);
    assertThat(pool.get("method").asText()).isEqualTo("PUT");
    assertThat(pool.get("route").asText()).isEqualTo("/api/v1/pools/{pool}");
    assertThat(pool.get("path").asText()).isEqualTo("/api/v1/pools/audited");
    JsonNode trigger = items.get(2);
    assertThat(trigger.get("route").asText()).isEqualTo("/api/v1/jobs/{namespace}/{name}/runs");
    assertThat(trigger.get("status").asInt()).isEqualTo(201);
    JsonNode apply = items.get(3);
    assertThat(apply.get("subject").asText()).isEqualTo("default/audited version 1 created");
    for (JsonNode e : items) {
      assertThat(e.get("tokenName").asText()).isEqualTo("admin");
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

  @Test
  void callsWithoutAValidTokenAreCountedNotWrittenOneRowEach() throws Exception {
    long before = api.get("/api/v1/audit?limit=1000").get("items").size();
    ApiClient anonymous = new ApiClient(server.url(), null);
    ApiClient forged = new ApiClient(server.url(), "not-a-token");
    for (int i = 0; i < 20; i++) {
      assertThat(anonymous.call("POST", "/api/v1/jobs/default/x/runs", null).status())
          .isEqualTo(401);
      assertThat(forged.call("DELETE", "/api/v1/jobs/default/x", null).status()).isEqualTo(401);
    }

    assertThat(api.get("/api/v1/audit?limit=1000").get("items")).hasSize((int) before);
    java.net.http.HttpResponse<String> scraped =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.url() + "/metrics"))
                    .header(
                        "Authorization",
                        "Bearer "
                            + java.nio.file.Files.readString(server.server().adminTokenFile())
                                .trim())
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    String metrics = scraped.body();
    assertThat(metrics)
        .containsPattern(
            "kairos_unauthenticated_requests_total\\{[^}]*reason=\"missing\"[^}]*\\} [2-9][0-9]")
        .containsPattern(
            "kairos_unauthenticated_requests_total\\{[^}]*reason=\"invalid\"[^}]*\\} [2-9][0-9]");
  }
}
