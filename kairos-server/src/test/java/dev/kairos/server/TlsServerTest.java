package dev.kairos.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kairos.core.tls.ClientTls;
import dev.kairos.core.tls.Pem;
import dev.kairos.core.tls.ServerIdentity;
import dev.kairos.core.tls.TestCertificates;
import dev.kairos.store.Store;
import dev.kairos.store.StoreConfig;
import dev.kairos.store.StoreFactory;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server given a certificate and key serves the API over HTTPS only, on its one port, and a long
 * poll whose client has gone claims nothing through TLS as it does without it.
 */
class TlsServerTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String JOB =
      """
      apiVersion: kairos.dev/v1
      kind: Job
      metadata: {name: %s}
      spec:
        placement: {pool: remote}
        task:
          shell: {command: "true"}
      """;

  @TempDir static Path dir;
  static Store store;
  static KairosServer server;
  static String token;
  static SSLContext trust;
  static HttpClient https;

  @BeforeAll
  static void start() throws Exception {
    TestCertificates certs = TestCertificates.shared("EC");
    ServerIdentity identity =
        ServerIdentity.of(
            "cert",
            Files.readString(certs.serverChain()),
            "key",
            Files.readString(certs.serverKey()));
    Path state = dir.resolve("state");
    store = StoreFactory.open(StoreConfig.sqlite(Files.createDirectories(state)));
    server =
        new KairosServer(
            ServerConfig.defaults(state).withPort(0).withTls(identity), store, Clock.systemUTC());
    server.start();
    token = Files.readString(server.adminTokenFile()).trim();
    trust = ClientTls.trusting(Pem.certificates("ca", Files.readString(certs.ca())));
    https = HttpClient.newBuilder().sslContext(trust).build();
  }

  @AfterAll
  static void stop() {
    server.close();
    store.close();
  }

  static HttpResponse<String> call(String method, String path, String body) throws Exception {
    return call(method, path, body, token);
  }

  static HttpResponse<String> call(String method, String path, String body, String bearer)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(server.url() + path))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + bearer)
            .header(
                "Content-Type",
                path.equals("/api/v1/jobs") ? "application/yaml" : "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    return https.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void theApiIsServedOverHttpsOnly() throws Exception {
    assertThat(server.url()).isEqualTo("https://127.0.0.1:" + server.port());
    assertThat(call("GET", "/healthz", null).statusCode()).isEqualTo(200);
    assertThat(call("GET", "/api/v1/jobs", null).statusCode()).isEqualTo(200);
    HttpResponse<String> ui = call("GET", "/", null);
    assertThat(ui.statusCode()).isEqualTo(200);
    assertThat(ui.body()).contains("<html");
    // the same port over plain HTTP: no answer
    HttpRequest plain =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/healthz"))
            .timeout(Duration.ofSeconds(10))
            .build();
    assertThatThrownBy(
            () -> HttpClient.newHttpClient().send(plain, HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(IOException.class);
  }

  @Test
  void aPollWhoseWorkerHasGoneClaimsNothingOverTlsToo() throws Exception {
    assertThat(call("PUT", "/api/v1/jobs", JOB.formatted("orphan")).statusCode()).isEqualTo(201);
    await().atMost(Duration.ofSeconds(10)).until(() -> server.requestsInFlight() == 0);
    try (SSLSocket dead =
        (SSLSocket) trust.getSocketFactory().createSocket("127.0.0.1", server.port())) {
      byte[] body = poll("w-dead", 30_000).getBytes(StandardCharsets.UTF_8);
      OutputStream out = dead.getOutputStream();
      out.write(
          ("POST /api/v1/worker/poll HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                  + credential("w-dead")
                  + "\r\nContent-Type: application/json\r\nContent-Length: "
                  + body.length
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
      await().atMost(Duration.ofSeconds(10)).until(() -> server.requestsInFlight() > 0);
    }
    // the worker's process is gone (its socket closed) while its poll waits; now work arrives
    HttpResponse<String> triggered = call("POST", "/api/v1/jobs/default/orphan/runs", null);
    long run = JSON.readTree(triggered.body()).get("id").asLong();

    HttpResponse<String> live =
        call("POST", "/api/v1/worker/poll", poll("w-live", 10_000), credential("w-live"));
    assertThat(live.statusCode()).isEqualTo(200);
    JsonNode assignments = JSON.readTree(live.body()).get("assignments");
    assertThat(assignments).as("the live worker gets the run's attempt").hasSize(1);
    assertThat(assignments.get(0).get("runId").asLong()).isEqualTo(run);
    assertThat(assignments.get(0).get("attempt").asInt()).isEqualTo(1);
  }

  /** The credential of worker {@code workerId} of pool remote, enrolled over TLS. */
  private static String credential(String workerId) throws Exception {
    HttpResponse<String> enrolled =
        call(
            "POST",
            "/api/v1/worker/enrol",
            "{\"workerId\": \"" + workerId + "\", \"pool\": \"remote\"}");
    assertThat(enrolled.statusCode()).as(enrolled.body()).isEqualTo(201);
    return JSON.readTree(enrolled.body()).get("token").asText();
  }

  private static String poll(String worker, long waitMillis) {
    return """
    {"workerId": "%s", "pool": "remote", "max": 1, "waitMillis": %d,
     "capacity": {"cpu": "1", "memory": "1Gi", "slots": 1}}
    """
        .formatted(worker, waitMillis);
  }
}
