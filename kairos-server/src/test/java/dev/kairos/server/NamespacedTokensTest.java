package dev.kairos.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Tokens limited to namespaces, on a real server: an operator, viewer or events token of team-a
 * reads and changes team-a's jobs, runs and alerts only, and a token of any limit is refused where
 * it would reach beyond them. Tokens that may not be limited, and bad limits, are refused at
 * creation, naming the field.
 */
class NamespacedTokensTest {
  static TestServer server;
  static ApiClient admin;
  static ApiClient teamA;
  static ApiClient viewerA;
  static ApiClient eventsA;

  static String job(String namespace, String name) {
    return """
    apiVersion: kairos.dev/v1
    kind: Job
    metadata: {name: %s, namespace: %s}
    spec:
      placement: {pool: nobody-runs-this}
      triggers: [{event: {type: team-event}}]
      task: {shell: {command: "true"}}
    """
        .formatted(name, namespace);
  }

  static ApiClient token(String name, String role, String limits) throws Exception {
    ApiClient.Response r =
        admin.call(
            "POST",
            "/api/v1/tokens",
            "{\"name\": \"" + name + "\", \"role\": \"" + role + "\"" + limits + "}");
    assertThat(r.status()).as(r.body().toString()).isEqualTo(201);
    return new ApiClient(server.url(), r.body().get("token").asText());
  }

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.sqlite();
    admin = server.api();
    teamA = token("team-a-ops", "operator", ", \"namespaces\": [\"team-a\"]");
    viewerA = token("team-a-view", "viewer", ", \"namespaces\": [\"team-a\"]");
    eventsA = token("team-a-events", "events", ", \"namespaces\": [\"team-a\"]");
    assertThat(admin.applyYaml(job("team-b", "theirs")).status()).isEqualTo(201);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void anOperatorOfANamespaceChangesThatNamespaceOnly() throws Exception {
    assertThat(teamA.applyYaml(job("team-a", "ours")).status()).isEqualTo(201);
    ApiClient.Response elsewhere = teamA.applyYaml(job("team-b", "sneaky"));
    assertThat(elsewhere.status()).isEqualTo(403);
    assertThat(elsewhere.body().get("detail").asText())
        .isEqualTo(
            "token 'team-a-ops' is limited to namespace team-a, which do not include namespace"
                + " team-b");
    assertThat(admin.call("GET", "/api/v1/jobs/team-b/sneaky", null).status()).isEqualTo(404);

    assertThat(teamA.call("POST", "/api/v1/jobs/team-a/ours/runs", null).status()).isEqualTo(201);
    assertThat(teamA.call("POST", "/api/v1/jobs/team-b/theirs/runs", null).status()).isEqualTo(403);
    assertThat(teamA.call("POST", "/api/v1/jobs/team-b/theirs/suspend", null).status())
        .isEqualTo(403);
    assertThat(teamA.call("DELETE", "/api/v1/jobs/team-b/theirs", null).status()).isEqualTo(403);
    assertThat(admin.call("GET", "/api/v1/jobs/team-b/theirs", null).status()).isEqualTo(200);

    // a run of another namespace is not found, whatever the call
    long theirRun =
        admin.call("POST", "/api/v1/jobs/team-b/theirs/runs", null).body().get("id").asLong();
    for (String call :
        new String[] {
          "GET /api/v1/runs/%d",
          "GET /api/v1/runs/%d/logs",
          "POST /api/v1/runs/%d/cancel",
          "POST /api/v1/runs/%d/retry"
        }) {
      String[] parts = call.formatted(theirRun).split(" ");
      assertThat(teamA.call(parts[0], parts[1], null).status()).as(call).isEqualTo(404);
    }
    assertThat(admin.get("/api/v1/runs/" + theirRun).get("state").asText()).isEqualTo("PENDING");

    // pool settings span every namespace
    assertThat(teamA.call("PUT", "/api/v1/pools/nobody-runs-this", "{\"maxRunning\": 1}").status())
        .isEqualTo(403);
  }

  @Test
  void aViewerOfANamespaceListsThatNamespaceOnly() throws Exception {
    admin.applyYaml(job("team-a", "listed"));
    admin.call("POST", "/api/v1/jobs/team-a/listed/runs", null);
    admin.call("POST", "/api/v1/jobs/team-b/theirs/runs", null);

    JsonNode jobs = viewerA.get("/api/v1/jobs").get("items");
    assertThat(jobs.findValuesAsText("namespace")).isNotEmpty().containsOnly("team-a");
    assertThat(viewerA.call("GET", "/api/v1/jobs?namespace=team-b", null).status()).isEqualTo(403);
    JsonNode runs = viewerA.get("/api/v1/runs").get("items");
    assertThat(runs).isNotEmpty();
    assertThat(runs.findValuesAsText("namespace")).containsOnly("team-a");
    assertThat(viewerA.call("GET", "/api/v1/runs?job=team-b/theirs", null).status()).isEqualTo(403);
    assertThat(viewerA.call("GET", "/api/v1/alerts?job=team-b/theirs", null).status())
        .isEqualTo(403);
    assertThat(viewerA.call("GET", "/api/v1/jobs/team-b/theirs", null).status()).isEqualTo(403);
    // and a viewer still changes nothing, even in its namespace
    assertThat(viewerA.call("POST", "/api/v1/jobs/team-a/listed/runs", null).status())
        .isEqualTo(403);
  }

  @Test
  void anEventsTokenOfANamespaceStartsThatNamespacesJobsOnly() throws Exception {
    admin.applyYaml(job("team-a", "listens"));
    ApiClient.Response sent =
        eventsA.call(
            "POST",
            "/api/v1/events",
            "{\"type\": \"team-event\", \"source\": \"test\", \"id\": \"ns-1\"}");
    assertThat(sent.status()).isEqualTo(202);
    assertThat(sent.body().get("runs").findValuesAsText("namespace"))
        .isNotEmpty()
        .containsOnly("team-a");
    ApiClient.Response all =
        admin.call(
            "POST",
            "/api/v1/events",
            "{\"type\": \"team-event\", \"source\": \"test\", \"id\": \"ns-2\"}");
    assertThat(all.body().get("runs").findValuesAsText("namespace")).contains("team-a", "team-b");
  }

  @Test
  void limitsAreCheckedWhenATokenIsMade() throws Exception {
    ApiClient.Response admins =
        admin.call(
            "POST",
            "/api/v1/tokens",
            "{\"name\": \"x\", \"role\": \"admin\", \"namespaces\": [\"a\"], \"pools\": [\"p\"],"
                + " \"expiresIn\": \"10s\"}");
    assertThat(admins.status()).isEqualTo(400);
    assertThat(admins.body().get("errors").findValuesAsText("path"))
        .containsExactlyInAnyOrder("namespaces", "pools", "expiresIn");
    assertThat(admins.body().get("detail").asText())
        .contains("only operator, viewer and events tokens are limited to namespaces, not admin")
        .contains("expiresIn: \"10s\": is less than the smallest allowed, 1m");
    ApiClient.Response badName =
        admin.call(
            "POST",
            "/api/v1/tokens",
            "{\"name\": \"y\", \"role\": \"viewer\", \"namespaces\": [\"Team A\"]}");
    assertThat(badName.status()).isEqualTo(400);
    assertThat(badName.body().get("errors").findValuesAsText("path"))
        .containsExactly("namespaces[0]");
    assertThat(admin.get("/api/v1/tokens").get("items").findValuesAsText("name"))
        .doesNotContain("x", "y");

    ApiClient.Response limited =
        admin.call(
            "POST",
            "/api/v1/tokens",
            "{\"name\": \"ci-a\", \"role\": \"operator\", \"namespaces\": [\"team-a\"],"
                + " \"expiresIn\": \"30d\"}");
    assertThat(limited.status()).isEqualTo(201);
    assertThat(limited.body().get("namespaces").get(0).asText()).isEqualTo("team-a");
    assertThat(limited.body().get("expiresAt").asText()).isNotEmpty();
  }
}
