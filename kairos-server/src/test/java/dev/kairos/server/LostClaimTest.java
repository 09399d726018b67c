package dev.kairos.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A worker that dies with its long poll open must not be handed work: the assignment would be
 * leased to nobody until the lease ran out, and (before lost was not failed) cost the task a retry.
 * Issue 18, case 4.
 */
class LostClaimTest {
  private static final String JOB =
      """
      apiVersion: kairos.dev/v1
      kind: Job
      metadata: {name: %s}
      spec:
        placement: {pool: remote}
        task:
          shell: {command: "true"}
      """;

  private static TestServer server;
  private static ApiClient api;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.sqlite();
    api = server.api();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void aPollWhoseWorkerHasGoneClaimsNothing() throws Exception {
    assertThat(api.applyYaml(JOB.formatted("orphan")).status()).isEqualTo(201);
    // a request counts until its response is written, which may end just after the client read it
    await().atMost(Duration.ofSeconds(10)).until(() -> server.server().requestsInFlight() == 0);
    URI url = URI.create(server.url());
    try (Socket dead = new Socket(url.getHost(), url.getPort())) {
      byte[] body = poll("w-dead", 30_000).getBytes(StandardCharsets.UTF_8);
      OutputStream out = dead.getOutputStream();
      out.write(
          ("POST /api/v1/worker/poll HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                  + server.credential("w-dead", "remote", "default")
                  + "\r\nContent-Type: application/json\r\nContent-Length: "
                  + body.length
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
      await().atMost(Duration.ofSeconds(10)).until(() -> server.server().requestsInFlight() > 0);
    }
    // the worker's process is gone (its socket closed) while its poll waits; now work arrives
    long run = api.call("POST", "/api/v1/jobs/default/orphan/runs", null).body().get("id").asLong();

    ApiClient.Response live =
        server
            .enrolled("w-live", "remote")
            .call("POST", "/api/v1/worker/poll", poll("w-live", 10_000));
    assertThat(live.status()).isEqualTo(200);
    JsonNode assignments = live.body().get("assignments");
    assertThat(assignments).as("the live worker gets the run's attempt").hasSize(1);
    assertThat(assignments.get(0).get("runId").asLong()).isEqualTo(run);
    assertThat(assignments.get(0).get("attempt").asInt()).isEqualTo(1);
  }

  private static String poll(String worker, long waitMillis) {
    return """
    {"workerId": "%s", "pool": "remote", "max": 1, "waitMillis": %d,
     "capacity": {"cpu": "1", "memory": "1Gi", "slots": 1}}
    """
        .formatted(worker, waitMillis);
  }
}
