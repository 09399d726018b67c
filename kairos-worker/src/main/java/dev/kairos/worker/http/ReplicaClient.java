package dev.kairos.worker.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kairos.core.tls.ClientTls;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * JSON calls to whichever of several server replicas answers. A call goes to the replica that
 * answered last; when it cannot be reached (or answers 5xx: it is stopping, or has lost its
 * database), the call moves on to the next replica, and after a round where none answered it backs
 * off (doubling, with jitter, so that workers do not return in step) and tries the round again,
 * until {@code retryFor} has passed. Any replica can serve any call: they share one store.
 */
final class ReplicaClient {
  private static final long FIRST_BACKOFF_MILLIS = 100;
  private static final long MAX_BACKOFF_MILLIS = 2_000;

  /** How to trust a replica whose certificate was refused. */
  private static final String TRUST_HINT =
      "give the worker the CA certificate that signed it (kairos worker --ca-cert FILE or"
          + " KAIROS_CA_CERT)";

  private final List<String> servers;
  private volatile String token;
  private final Duration retryFor;
  private final ObjectMapper json;
  private final HttpClient http;
  private final AtomicInteger current = new AtomicInteger();

  /**
   * @param tls whom to trust for {@code https://} replicas; null for the JDK's default CAs
   */
  ReplicaClient(
      List<String> servers, String token, Duration retryFor, ObjectMapper json, SSLContext tls) {
    if (servers.isEmpty()) {
      throw new IllegalArgumentException("at least one server URL is needed");
    }
    this.servers =
        servers.stream().map(s -> s.endsWith("/") ? s.substring(0, s.length() - 1) : s).toList();
    this.token = token;
    this.retryFor = retryFor;
    this.json = json;
    HttpClient.Builder http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3));
    if (tls != null) {
      http.sslContext(tls);
    }
    this.http = http.build();
  }

  /** Makes every later call with {@code newToken} (a worker's credential once it enrolled). */
  void useToken(String newToken) {
    token = newToken;
  }

  /** POSTs {@code body} as JSON; returns the JSON answer (a null node for none). */
  JsonNode post(String path, Object body, Duration timeout) throws InterruptedException {
    return post(path, body, timeout, token);
  }

  /** {@link #post(String, Object, Duration)} with {@code bearer} for this call only. */
  JsonNode post(String path, Object body, Duration timeout, String bearer)
      throws InterruptedException {
    byte[] bytes;
    try {
      bytes = json.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new WorkerProtocolException("cannot encode request: " + e.getMessage());
    }
    return send(path, timeout, HttpRequest.BodyPublishers.ofByteArray(bytes), bearer);
  }

  /** GETs a JSON answer. */
  JsonNode get(String path, Duration timeout) throws InterruptedException {
    return send(path, timeout, null, token);
  }

  private JsonNode send(
      String path, Duration timeout, HttpRequest.BodyPublisher body, String bearer)
      throws InterruptedException {
    long deadline = System.nanoTime() + retryFor.toNanos();
    long backoff = FIRST_BACKOFF_MILLIS;
    while (true) {
      Round round = oneRound(path, timeout, body, bearer);
      if (round.answer() != null) {
        return round.answer();
      }
      long sleep = jittered(backoff);
      if (System.nanoTime() + sleep * 1_000_000L > deadline) {
        throw new WorkerProtocolException(
            "no server reachable (" + String.join(", ", servers) + "): " + round.failure());
      }
      Thread.sleep(sleep);
      backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
    }
  }

  /** One try of every replica: the first answer, or why none answered. */
  private record Round(JsonNode answer, String failure) {}

  /** Tries each replica once, starting with the current one. */
  private Round oneRound(
      String path, Duration timeout, HttpRequest.BodyPublisher body, String bearer)
      throws InterruptedException {
    String failure = null;
    for (int tried = 0; tried < servers.size(); tried++) {
      int index = current.get();
      String base = servers.get(Math.floorMod(index, servers.size()));
      HttpRequest.Builder request =
          HttpRequest.newBuilder(URI.create(base + path))
              .timeout(timeout)
              .header("Authorization", "Bearer " + bearer);
      if (body == null) {
        request.GET();
      } else {
        request.header("Content-Type", "application/json").POST(body);
      }
      try {
        HttpResponse<String> r =
            http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (r.statusCode() >= 500) {
          failure = base + " answered " + r.statusCode();
          current.compareAndSet(index, index + 1);
          continue;
        }
        if (r.statusCode() >= 400) {
          // the request itself is wrong (or the token): another replica would say the same
          int status = r.statusCode();
          throw new WorkerProtocolException(
              base + path + " answered " + status + ": " + detail(r.body()), status);
        }
        return new Round(r.body().isBlank() ? json.nullNode() : json.readTree(r.body()), null);
      } catch (IOException e) {
        String tls = ClientTls.explain(e, base, TRUST_HINT);
        failure =
            tls != null
                ? tls
                : base + ": " + (e.getMessage() == null ? e.toString() : e.getMessage());
        current.compareAndSet(index, index + 1);
      }
    }
    return new Round(null, failure);
  }

  private static long jittered(long millis) {
    return millis / 2 + ThreadLocalRandom.current().nextLong(millis / 2 + 1);
  }

  private String detail(String body) {
    try {
      return json.readTree(body).path("detail").asText(body);
    } catch (IOException e) {
      return body;
    }
  }
}
