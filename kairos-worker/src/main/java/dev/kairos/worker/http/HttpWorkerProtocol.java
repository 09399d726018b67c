package dev.kairos.worker.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.kairos.core.protocol.Assignment;
import dev.kairos.core.protocol.Capacity;
import dev.kairos.core.protocol.Completion;
import dev.kairos.core.protocol.HeartbeatReply;
import dev.kairos.core.protocol.Lease;
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
 *   <li>{@code POST /api/v1/worker/enrol} {@code {workerId, pool, cluster}} with the token given →
 *       {@code {token, ...}}: the worker's own credential, used for every call below
 *   <li>{@code POST /api/v1/worker/poll} {@code {workerId, pool, cluster, labels, capacity: {cpu,
 *       memory, slots}, max, waitMillis}} → {@code {assignments: [{attemptId, runId, namespace,
 *       job, attempt, task, idempotencyKey, leaseExpiresAt, fence}]}}
 *   <li>{@code GET /api/v1/worker/config} → {@code {leaseMillis, heartbeatIntervalMillis}}
 *   <li>{@code POST /api/v1/worker/heartbeat} {@code {workerId, leases: [{attemptId, fence}]}} →
 *       {@code {cancel, lost}}
 *   <li>{@code POST /api/v1/worker/release} {@code {workerId, leases}} → 204
 *   <li>{@code POST /api/v1/worker/complete} {@code {workerId, completions}} → 204
 *   <li>{@code POST /api/v1/worker/logs} {@code {workerId, chunks}} → 204
 * </ul>
 *
 * Every call fails over between the replicas given and retries with back-off (see {@link
 * ReplicaClient}) before it gives up with a {@link WorkerProtocolException}. Once told which worker
 * it speaks for ({@link #identify}), it enrols before its first call, and again when its credential
 * stops working (revoked, expired, or replaced by another enrolment of that worker id).
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
  private final String token;
  private volatile WorkerInfo self;

  /** The credential calls are made with: null until enrolled (then the token given is used). */
  private volatile String credential;

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
    this(servers, token, DEFAULT_RETRY_FOR, tls);
  }

  /**
   * @param retryFor how long one call keeps trying the replicas, with back-off, before it fails
   */
  public HttpWorkerProtocol(List<String> servers, String token, Duration retryFor) {
    this(servers, token, retryFor, null);
  }

  private HttpWorkerProtocol(
      List<String> servers, String token, Duration retryFor, SSLContext tls) {
    this.replicas = new ReplicaClient(servers, token, retryFor, JSON, tls);
    this.token = token;
  }

  @Override
  public synchronized void identify(WorkerInfo worker) {
    self = worker;
    credential = null;
  }

  /**
   * Enrols as the worker it was told of, unless a credential newer than {@code stale} (the one a
   * call was refused with, or null) is already at hand; returns the credential to call with.
   */
  private synchronized String enrolled(String stale) throws InterruptedException {
    if (self == null) {
      return token;
    }
    if (credential != null && !credential.equals(stale)) {
      return credential;
    }
    JsonNode reply =
        replicas.post(
            "/api/v1/worker/enrol",
            Map.of("workerId", self.workerId(), "pool", self.pool(), "cluster", self.cluster()),
            CALL_TIMEOUT,
            token);
    String issued = reply.path("token").asText(null);
    if (issued == null) {
      throw new WorkerProtocolException("the server's enrolment answer has no token");
    }
    credential = issued;
    replicas.useToken(issued);
    return issued;
  }

  /** POSTs with the worker's credential; enrols again once if the credential stopped working. */
  private JsonNode call(String path, Object body, Duration timeout) throws InterruptedException {
    String used = enrolled(null);
    try {
      return replicas.post(path, body, timeout, used);
    } catch (WorkerProtocolException e) {
      if (e.status() != 401 || self == null) {
        throw e;
      }
      return replicas.post(path, body, timeout, enrolled(used));
    }
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
    if (self == null) {
      identify(w);
    }
    JsonNode reply =
        call("/api/v1/worker/poll", body, Duration.ofMillis(request.waitMillis()).plusSeconds(10));
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
              a.path("event").isObject() ? a.get("event").toString() : null,
              a.path("fence").asLong(0)));
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
  public HeartbeatReply heartbeat(String workerId, Collection<Lease> leases) {
    JsonNode reply =
        postQuietly("/api/v1/worker/heartbeat", Map.of("workerId", workerId, "leases", leases));
    return new HeartbeatReply(ids(reply.path("cancel")), ids(reply.path("lost")));
  }

  @Override
  public void complete(String workerId, List<Completion> completions) {
    postQuietly(
        "/api/v1/worker/complete", Map.of("workerId", workerId, "completions", completions));
  }

  @Override
  public void release(String workerId, Collection<Lease> leases) {
    List<Lease> all = List.copyOf(leases);
    for (int from = 0; from < all.size(); from += MAX_IDS_PER_CALL) {
      List<Lease> batch = all.subList(from, Math.min(all.size(), from + MAX_IDS_PER_CALL));
      postQuietly("/api/v1/worker/release", Map.of("workerId", workerId, "leases", batch));
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
      return call(path, body, CALL_TIMEOUT);
    } catch (InterruptedException e) {
      throw interrupted();
    }
  }

  private static WorkerProtocolException interrupted() {
    Thread.currentThread().interrupt();
    return new WorkerProtocolException("interrupted");
  }
}
