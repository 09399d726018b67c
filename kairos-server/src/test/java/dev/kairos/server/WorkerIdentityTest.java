package dev.kairos.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 19, cases 1 to 3, over HTTP on a real server: a worker token used to let its holder act as
 * any worker, complete or write into any attempt and poll any pool. Now a worker enrols for its own
 * credential, bound to its id, pool and cluster, and every call about an attempt carries the
 * fencing token of the claim that handed it out. The jobs here run in pools the server's own local
 * worker does not serve, so that only the workers of each test claim them.
 */
class WorkerIdentityTest {
  static TestServer server;
  static ApiClient admin;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.sqlite();
    admin = server.api();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** Applies a job of {@code pool} whose task has a secret, triggers it; returns the run id. */
  static long runIn(String job, String pool) throws Exception {
    ApiClient.Response applied =
        admin.applyYaml(
            """
            apiVersion: kairos.dev/v1
            kind: Job
            metadata: {name: %s}
            spec:
              placement: {pool: %s}
              task:
                shell:
                  command: "sleep 40"
                  env: {DB_PASS: {secret: true, value: the-%s-secret}}
            """
                .formatted(job, pool, job));
    assertThat(applied.status()).as(applied.body().toString()).isIn(200, 201);
    return admin
        .call("POST", "/api/v1/jobs/default/" + job + "/runs", null)
        .body()
        .get("id")
        .asLong();
  }

  static String pollBody(String workerId, String pool) {
    return """
    {"workerId": "%s", "pool": "%s", "max": 1, "waitMillis": 5000,
     "capacity": {"cpu": "1", "memory": "1Gi", "slots": 1}}\
    """
        .formatted(workerId, pool);
  }

  /** The one assignment a poll of {@code worker} gets. */
  static JsonNode claim(ApiClient worker, String workerId, String pool) throws Exception {
    ApiClient.Response polled =
        worker.call("POST", "/api/v1/worker/poll", pollBody(workerId, pool));
    assertThat(polled.status()).as(polled.body().toString()).isEqualTo(200);
    assertThat(polled.body().get("assignments")).hasSize(1);
    return polled.body().get("assignments").get(0);
  }

  /** A worker token as an operator makes one ({@code kairos token create --role worker}). */
  static String workerToken(String name, String limits) throws Exception {
    ApiClient.Response created =
        admin.call(
            "POST",
            "/api/v1/tokens",
            "{\"name\": \"" + name + "\", \"role\": \"worker\"" + limits + "}");
    assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
    return created.body().get("token").asText();
  }

  static ApiClient enrol(String token, String workerId, String pool) throws Exception {
    ApiClient.Response r =
        new ApiClient(server.url(), token)
            .call(
                "POST",
                "/api/v1/worker/enrol",
                "{\"workerId\": \"" + workerId + "\", \"pool\": \"" + pool + "\"}");
    assertThat(r.status()).as(r.body().toString()).isEqualTo(201);
    assertThat(r.body().get("workerId").asText()).isEqualTo(workerId);
    return new ApiClient(server.url(), r.body().get("token").asText());
  }

  static String state(long run) throws Exception {
    return admin.get("/api/v1/runs/" + run).get("state").asText();
  }

  static String completion(String workerId, long attempt, long fence) {
    return """
    {"workerId": "%s", "completions": [{"attemptId": %d, "fence": %d,
     "outcome": "SUCCEEDED", "exitCode": 0}]}\
    """
        .formatted(workerId, attempt, fence);
  }

  /**
   * Case 1: with the worker token and another worker's id, a complete call marked a running attempt
   * SUCCEEDED (and the real process was killed). Now the token alone acts as no worker, a
   * credential acts only as its own worker, and a completion must carry the claim's fence.
   */
  @Test
  void onlyTheWorkerHoldingAnAttemptsLeaseMayCompleteIt() throws Exception {
    String token = workerToken("case-one", "");
    long run = runIn("case-one", "case-one");
    ApiClient real = enrol(token, "w-real", "case-one");
    JsonNode a = claim(real, "w-real", "case-one");
    long attempt = a.get("attemptId").asLong();
    long fence = a.get("fence").asLong();
    assertThat(fence).isPositive();

    ApiClient bare = new ApiClient(server.url(), token);
    ApiClient.Response asToken =
        bare.call("POST", "/api/v1/worker/complete", completion("w-real", attempt, fence));
    assertThat(asToken.status()).isEqualTo(403);
    assertThat(asToken.body().get("detail").asText()).contains("enrols first");

    ApiClient evil = enrol(token, "evil", "case-one");
    ApiClient.Response impersonated =
        evil.call("POST", "/api/v1/worker/complete", completion("w-real", attempt, fence));
    assertThat(impersonated.status()).isEqualTo(403);
    assertThat(impersonated.body().get("detail").asText())
        .contains("the credential of worker evil may not act as worker w-real");
    ApiClient.Response notHeld =
        evil.call("POST", "/api/v1/worker/complete", completion("evil", attempt, fence));
    assertThat(notHeld.status()).isEqualTo(409);
    ApiClient.Response staleFence =
        real.call("POST", "/api/v1/worker/complete", completion("w-real", attempt, fence + 1));
    assertThat(staleFence.status()).isEqualTo(409);
    assertThat(staleFence.body().get("detail").asText())
        .contains("does not hold attempt " + attempt + " under the fence sent");
    assertThat(state(run)).isEqualTo("RUNNING");

    // the worker holding it, under its claim
    ApiClient.Response own =
        real.call("POST", "/api/v1/worker/complete", completion("w-real", attempt, fence));
    assertThat(own.status()).as(own.body().toString()).isEqualTo(204);
    assertThat(state(run)).isEqualTo("SUCCEEDED");
  }

  /**
   * Case 2: any holder of the worker token could write into any attempt's log as any worker id, and
   * a negative sequence number put the line first. Now only the claiming worker may, under its
   * claim's fence, with a sequence number of zero or more.
   */
  @Test
  void onlyTheWorkerHoldingAnAttemptsLeaseMayWriteItsLog() throws Exception {
    String token = workerToken("case-two", "");
    long run = runIn("case-two", "case-two");
    ApiClient real = enrol(token, "w-real-2", "case-two");
    JsonNode a = claim(real, "w-real-2", "case-two");
    long attempt = a.get("attemptId").asLong();
    long fence = a.get("fence").asLong();
    String chunk =
        """
        {"workerId": "%s", "chunks": [{"attemptId": %d, "fence": %d, "seq": %d,
         "stream": "stdout", "timestampMillis": 0, "text": "%s"}]}\
        """;

    ApiClient evil = enrol(token, "evil-2", "case-two");
    assertThat(
            evil.call(
                    "POST",
                    "/api/v1/worker/logs",
                    chunk.formatted("w-real-2", attempt, fence, 0, "INJECTED"))
                .status())
        .isEqualTo(403);
    ApiClient.Response forged =
        evil.call(
            "POST",
            "/api/v1/worker/logs",
            chunk.formatted("evil-2", attempt, fence, 0, "INJECTED"));
    assertThat(forged.status()).isEqualTo(409);
    assertThat(forged.body().get("detail").asText())
        .contains("worker evil-2 did not claim attempt " + attempt);
    ApiClient.Response negative =
        real.call(
            "POST",
            "/api/v1/worker/logs",
            chunk.formatted("w-real-2", attempt, fence, -5, "INJECTED"));
    assertThat(negative.status()).isEqualTo(400);
    assertThat(negative.body().get("detail").asText()).contains("chunks[0].seq");
    ApiClient.Response stale =
        real.call(
            "POST",
            "/api/v1/worker/logs",
            chunk.formatted("w-real-2", attempt, fence + 1, 0, "INJECTED"));
    assertThat(stale.status()).isEqualTo(409);

    ApiClient.Response own =
        real.call(
            "POST",
            "/api/v1/worker/logs",
            chunk.formatted("w-real-2", attempt, fence, 0, "real output"));
    assertThat(own.status()).isEqualTo(204);
    assertThat(admin.get("/api/v1/runs/" + run + "/logs").get("items").findValuesAsText("text"))
        .containsExactly("real output");
  }

  /**
   * Case 3: polling any pool with the shared worker token handed out that pool's attempts, inline
   * secret values included. Now a worker token limited to pools enrols workers of those pools only,
   * and a credential polls its own pool only.
   */
  @Test
  void aWorkerReceivesOnlyTheAttemptsAndSecretsOfThePoolsItsTokenAllows() throws Exception {
    String gpu = workerToken("gpu-only", ", \"pools\": [\"gpu\"]");
    long secret = runIn("payroll", "payroll");

    ApiClient.Response elsewhere =
        new ApiClient(server.url(), gpu)
            .call("POST", "/api/v1/worker/enrol", "{\"workerId\": \"g1\", \"pool\": \"payroll\"}");
    assertThat(elsewhere.status()).isEqualTo(403);
    assertThat(elsewhere.body().get("detail").asText())
        .contains("token 'gpu-only' is for workers of pool gpu only, not of pool payroll");

    ApiClient g1 = enrol(gpu, "g1", "gpu");
    ApiClient.Response poll = g1.call("POST", "/api/v1/worker/poll", pollBody("g1", "payroll"));
    assertThat(poll.status()).isEqualTo(403);
    assertThat(poll.body().toString()).doesNotContain("the-payroll-secret");
    ApiClient.Response bare =
        new ApiClient(server.url(), gpu)
            .call("POST", "/api/v1/worker/poll", pollBody("g1", "payroll"));
    assertThat(bare.status()).isEqualTo(403);
    assertThat(state(secret)).isEqualTo("PENDING");

    // its own pool: served as ever, the task's secret with it
    long run = runIn("render", "gpu");
    JsonNode a = claim(g1, "g1", "gpu");
    assertThat(a.get("runId").asLong()).isEqualTo(run);
    assertThat(a.toString()).contains("the-render-secret");
  }

  /** A worker that enrols again (a restart) gets a new credential; the old one stops working. */
  @Test
  void enrollingAgainReplacesTheWorkersCredential() throws Exception {
    String token = workerToken("restarts", "");
    ApiClient first = enrol(token, "w-again", "restarts");
    ApiClient second = enrol(token, "w-again", "restarts");
    String heartbeat = "{\"workerId\": \"w-again\", \"leases\": []}";
    // the cache of valid tokens lasts a second: the old credential stops within it
    long deadline = System.nanoTime() + 5_000_000_000L;
    int status;
    do {
      Thread.sleep(50);
      status = first.call("POST", "/api/v1/worker/heartbeat", heartbeat).status();
    } while (status != 401 && System.nanoTime() < deadline);
    assertThat(status).isEqualTo(401);
    assertThat(second.call("POST", "/api/v1/worker/heartbeat", heartbeat).status()).isEqualTo(200);
    // a credential cannot enrol workers itself
    ApiClient.Response enrolling =
        second.call(
            "POST", "/api/v1/worker/enrol", "{\"workerId\": \"w-other\", \"pool\": \"restarts\"}");
    assertThat(enrolling.status()).isEqualTo(403);
  }
}
