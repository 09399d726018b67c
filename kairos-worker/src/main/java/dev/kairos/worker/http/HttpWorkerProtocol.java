package dev.kairos.worker.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.kairos.core.protocol.Assignment;
import dev.kairos.core.protocol.Completion;
import dev.kairos.core.protocol.HeartbeatReply;
import dev.kairos.core.protocol.LogChunk;
import dev.kairos.core.protocol.WorkerProtocol;
import dev.kairos.core.spec.TaskSpecCodec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The worker protocol over HTTP, for a worker in its own process. Endpoints (JSON, with {@code
 * Authorization: Bearer <token>}):
 *
 * <ul>
 *   <li>{@code POST /api/v1/worker/poll} {@code {workerId, pool, max, waitMillis}} → {@code
 *       {assignments: [{attemptId, runId, namespace, job, attempt, task, idempotencyKey,
 *       leaseExpiresAt}]}}
 *   <li>{@code POST /api/v1/worker/heartbeat} {@code {workerId, attemptIds}} → {@code {cancel,
 *       lost}}
 *   <li>{@code POST /api/v1/worker/release} {@code {workerId, attemptIds}} → 204
 *   <li>{@code POST /api/v1/worker/complete} {@code {workerId, completions}} → 204
 *   <li>{@code POST /api/v1/worker/logs} {@code {workerId, chunks}} → 204
 * </ul>
 *
 * Given several server addresses (replicas), a call that cannot reach one moves on to the next.
 */
public final class HttpWorkerProtocol implements WorkerProtocol {
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  private final List<String> servers;
  private final String token;
  private final HttpClient http;
  private final AtomicInteger current = new AtomicInteger();

  /**
   * @param servers base URLs such as {@code http://10.0.0.5:7070}; tried in turn when one is down
   * @param token a worker (or admin) token
   */
  public HttpWorkerProtocol(List<String> servers, String token) {
    if (servers.isEmpty()) {
      throw new IllegalArgumentException("at least one server URL is needed");
    }
    this.servers =
        servers.stream().map(s -> s.endsWith("/") ? s.substring(0, s.length() - 1) : s).toList();
    this.token = token;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
  }

  @Override
  public List<Assignment> poll(String workerId, String pool, int max, long waitMillis)
      throws InterruptedException {
    JsonNode reply =
        post(
            "/api/v1/worker/poll",
            Map.of("workerId", workerId, "pool", pool, "max", max, "waitMillis", waitMillis),
            Duration.ofMillis(waitMillis).plusSeconds(10));
    List<Assignment> list = new ArrayList<>();
    for (JsonNode a : reply.path("assignments")) {
      list.add(
          new Assignment(
              a.get("attemptId").asLong(),
              a.get("runId").asLong(),
              a.get("namespace").asText(),
              a.get("job").asText(),
              a.get("attempt").asInt(),
              TaskSpecCodec.fromTree(a.get("task")),
              a.get("idempotencyKey").asText(),
              Instant.parse(a.get("leaseExpiresAt").asText())));
    }
    return list;
  }

  @Override
  public HeartbeatReply heartbeat(String workerId, Collection<Long> attemptIds) {
    JsonNode reply =
        postQuietly(
            "/api/v1/worker/heartbeat", Map.of("workerId", workerId, "attemptIds", attemptIds));
    return new HeartbeatReply(ids(reply.path("cancel")), ids(reply.path("lost")));
  }

  @Override
  public void complete(String workerId, List<Completion> completions) {
    postQuietly(
        "/api/v1/worker/complete", Map.of("workerId", workerId, "completions", completions));
  }

  @Override
  public void release(String workerId, Collection<Long> attemptIds) {
    postQuietly("/api/v1/worker/release", Map.of("workerId", workerId, "attemptIds", attemptIds));
  }

  @Override
  public void appendLogs(String workerId, List<LogChunk> chunks) {
    postQuietly("/api/v1/worker/logs", Map.of("workerId", workerId, "chunks", chunks));
  }

  private static Set<Long> ids(JsonNode array) {
    Set<Long> ids = new HashSet<>();
    array.forEach(n -> ids.add(n.asLong()));
    return ids;
  }

  private JsonNode postQuietly(String path, Object body) {
    try {
      return post(path, body, Duration.ofSeconds(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WorkerProtocolException("interrupted");
    }
  }

  /** Posts to the current server, moving to the next replica when one cannot be reached. */
  private JsonNode post(String path, Object body, Duration timeout) throws InterruptedException {
    byte[] bytes;
    try {
      bytes = JSON.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new WorkerProtocolException("cannot encode request: " + e.getMessage());
    }
    IOException last = null;
    for (int tried = 0; tried < servers.size(); tried++) {
      int index = current.get();
      String base = servers.get(Math.floorMod(index, servers.size()));
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(base + path))
              .timeout(timeout)
              .header("Authorization", "Bearer " + token)
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofByteArray(bytes))
              .build();
      try {
        HttpResponse<String> r =
            http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (r.statusCode() >= 500) {
          // a replica that cannot do its job (e.g. its database link is down): try another
          last = new IOException(base + " answered " + r.statusCode());
          current.compareAndSet(index, index + 1);
          continue;
        }
        if (r.statusCode() >= 400) {
          throw new WorkerProtocolException(
              base + path + " answered " + r.statusCode() + ": " + detail(r.body()));
        }
        return r.body().isBlank() ? JSON.nullNode() : JSON.readTree(r.body());
      } catch (IOException e) {
        last = e;
        current.compareAndSet(index, index + 1);
      }
    }
    throw new WorkerProtocolException(
        "no server reachable ("
            + String.join(", ", servers)
            + "): "
            + (last == null ? "" : last.getMessage()));
  }

  private static String detail(String body) {
    try {
      return JSON.readTree(body).path("detail").asText(body);
    } catch (IOException e) {
      return body;
    }
  }
}
