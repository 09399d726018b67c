package dev.kairos.worker.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.kairos.core.protocol.Assignment;
import dev.kairos.core.protocol.Capacity;
import dev.kairos.core.protocol.Completion;
import dev.kairos.core.protocol.HeartbeatReply;
import dev.kairos.core.protocol.LeaseTerms;
import dev.kairos.core.protocol.LogChunk;
import dev.kairos.core.protocol.PollReply;
import dev.kairos.core.protocol.PollRequest;
import dev.kairos.core.protocol.WorkerInfo;
import dev.kairos.core.protocol.WorkerProtocol;
import dev.kairos.core.spec.TaskSpecCodec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SSLContext;

/**
 * The worker protocol over HTTP, for a worker in its own process. Endpoints (JSON, with {@code
 * Authorization: Bearer <token>}):
 *
 * <ul>
 *   <li>{@code POST /api/v1/worker/poll} {@code {workerId, pool, cluster, labels, capacity: {cpu,
 *       memory, slots}, max, waitMillis}} → {@code {assignments: [{attemptId, runId, namespace,
 *       job, attempt, task, idempotencyKey, leaseExpiresAt}]}}
 *   <li>{@code GET /api/v1/worker/config} → {@code {leaseMillis, heartbeatIntervalMillis}}
 *   <li>{@code POST /api/v1/worker/heartbeat} {@code {workerId, attemptIds}} → {@code {cancel,
 *       lost}}
 *   <li>{@code POST /api/v1/worker/release} {@code {workerId, attemptIds}} → 204
 *   <li>{@code POST /api/v1/worker/complete} {@code {workerId, completions}} → 204
 *   <li>{@code POST /api/v1/worker/logs} {@code {workerId, chunks}} → 204
 * </ul>
 *
 * Every call fails over between the replicas given and retries with back-off (see {@link
 * ReplicaClient}) before it gives up with a {@link WorkerProtocolException}.
 */
public final class HttpWorkerProtocol implements WorkerProtocol {
  /** How long a call keeps trying the replicas by default: under the default 15s lease. */
  public static final Duration DEFAULT_RETRY_FOR = Duration.ofSeconds(10);

  /** The most ids the server takes in one release call. */
  private static final int MAX_IDS_PER_CALL = 1_000;

  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  private final ReplicaClient replicas;

  /**
   * @param servers base URLs such as {@code http://10.0.0.5:7070}; tried in turn when one is down
   * @param token a worker (or admin) token
   */
  public HttpWorkerProtocol(List<String> servers, String token) {
    this(servers, token, (SSLContext) null);
  }

  /**
   * @param tls whom to trust for {@code https://} servers; null for the JDK's default CAs
   */
  public HttpWorkerProtocol(List<String> servers, String token, SSLContext tls) {
    this.replicas = new ReplicaClient(servers, token, DEFAULT_RETRY_FOR, JSON, tls);
  }

  /**
   * @param retryFor how long one call keeps trying the replicas, with back-off, before it fails
   */
  public HttpWorkerProtocol(List<String> servers, String token, Duration retryFor) {
    this.replicas = new ReplicaClient(servers, token, retryFor, JSON, null);
  }

  @Override
  public PollReply poll(PollRequest request) throws InterruptedException {
    WorkerInfo w = request.worker();
    Capacity c = w.capacity();
    Map<String, Object> body =
        Map.of(
            "workerId", w.workerId(),
            "pool", w.pool(),
            "cluster", w.cluster(),
            "labels", w.labels(),
            "capacity", Map.of("cpu", c.cpu(), "memory", c.memory(), "slots", c.slots()),
            "free", Map.of("cpu", request.free().cpu(), "memory", request.free().memory()),
            "max", request.max(),
            "waitMillis", request.waitMillis());
    JsonNode reply =
        replicas.post(
            "/api/v1/worker/poll", body, Duration.ofMillis(request.waitMillis()).plusSeconds(10));
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
              Instant.parse(a.get("leaseExpiresAt").asText()),
              a.path("startDelayMillis").asLong(0),
              inputs(a.path("inputs")),
              a.path("fireTime").isTextual() ? Instant.parse(a.get("fireTime").asText()) : null,
              a.path("event").isObject() ? a.get("event").toString() : null));
    }
    return new PollReply(list, reply.path("waitForCapacity").asBoolean(false));
  }

  @Override
  public LeaseTerms leaseTerms() {
    JsonNode reply;
    try {
      reply = replicas.get("/api/v1/worker/config", CALL_TIMEOUT);
    } catch (InterruptedException e) {
      throw interrupted();
    }
    return new LeaseTerms(
        Duration.ofMillis(reply.path("leaseMillis").asLong()),
        Duration.ofMillis(reply.path("heartbeatIntervalMillis").asLong()));
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
    List<Long> ids = List.copyOf(attemptIds);
    for (int from = 0; from < ids.size(); from += MAX_IDS_PER_CALL) {
      List<Long> batch = ids.subList(from, Math.min(ids.size(), from + MAX_IDS_PER_CALL));
      postQuietly("/api/v1/worker/release", Map.of("workerId", workerId, "attemptIds", batch));
    }
  }

  @Override
  public void appendLogs(String workerId, List<LogChunk> chunks) {
    postQuietly("/api/v1/worker/logs", Map.of("workerId", workerId, "chunks", chunks));
  }

  /** {task: {key: value}} as the server sends it; absent from older servers. */
  private static Map<String, Map<String, String>> inputs(JsonNode node) {
    Map<String, Map<String, String>> inputs = new LinkedHashMap<>();
    node.properties()
        .forEach(task -> {
          Map<String, String> values = new LinkedHashMap<>();
          task.getValue()
              .properties()
              .forEach(kv -> values.put(kv.getKey(), kv.getValue().asText()));
          inputs.put(task.getKey(), values);
        });
    return inputs;
  }

  private static Set<Long> ids(JsonNode array) {
    Set<Long> ids = new HashSet<>();
    array.forEach(n -> ids.add(n.asLong()));
    return ids;
  }

  private JsonNode postQuietly(String path, Object body) {
    try {
      return replicas.post(path, body, CALL_TIMEOUT);
    } catch (InterruptedException e) {
      throw interrupted();
    }
  }

  private static WorkerProtocolException interrupted() {
    Thread.currentThread().interrupt();
    return new WorkerProtocolException("interrupted");
  }
}
