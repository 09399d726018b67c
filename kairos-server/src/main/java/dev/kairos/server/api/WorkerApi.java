package dev.kairos.server.api;

import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.kairos.core.protocol.Assignment;
import dev.kairos.core.protocol.Completion;
import dev.kairos.core.protocol.Lease;
import dev.kairos.core.protocol.LeaseTerms;
import dev.kairos.core.protocol.LogChunk;
import dev.kairos.core.protocol.PollReply;
import dev.kairos.core.protocol.PollRequest;
import dev.kairos.core.protocol.WorkerInfo;
import dev.kairos.core.run.AttemptState;
import dev.kairos.core.spec.FieldError;
import dev.kairos.core.spec.TaskSpecCodec;
import dev.kairos.server.auth.WorkerCredentials;
import dev.kairos.server.dispatch.Dispatcher;
import dev.kairos.store.TokenRecord;
import io.javalin.config.RoutesConfig;
import io.javalin.http.ContentType;
import io.javalin.http.Context;
import io.javalin.http.Header;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * The worker protocol over HTTP ({@code /api/v1/worker/*}), for workers in other processes. The
 * bodies mirror {@link dev.kairos.core.protocol.WorkerProtocol}'s methods; see kairos-worker's
 * HttpWorkerProtocol for the client side.
 */
public final class WorkerApi implements Routes {
  private static final int MAX_BATCH = 1_000;

  /** The outcomes a worker reports; LOST is the server's to find, QUEUED and RUNNING no end. */
  private static final Set<AttemptState> REPORTED =
      EnumSet.of(
          AttemptState.SUCCEEDED,
          AttemptState.FAILED,
          AttemptState.TIMED_OUT,
          AttemptState.OOM_KILLED,
          AttemptState.CANCELLED);

  private final Dispatcher protocol;
  private final WorkerCredentials credentials;

  public WorkerApi(Dispatcher protocol, WorkerCredentials credentials) {
    this.protocol = protocol;
    this.credentials = credentials;
  }

  record EnrolBody(String workerId, String pool, String cluster) {}

  record HeartbeatBody(String workerId, List<Lease> leases) {}

  record CompleteBody(String workerId, List<Completion> completions) {}

  record LogsBody(String workerId, List<LogChunk> chunks) {}

  record AssignmentView(
      long attemptId,
      long runId,
      String namespace,
      String job,
      int attempt,
      @JsonRawValue String task,
      String idempotencyKey,
      Instant leaseExpiresAt,
      long startDelayMillis,
      Map<String, Map<String, String>> inputs,
      Instant fireTime,
      @JsonRawValue String event,
      long fence) {}

  record Assignments(List<AssignmentView> assignments, boolean waitForCapacity) {}

  record LeaseTermsView(long leaseMillis, long heartbeatIntervalMillis) {}

  @Override
  public void register(RoutesConfig app) {
    app.post("/api/v1/worker/enrol", this::enrol);
    app.post("/api/v1/worker/poll", this::poll);
    app.get(
        "/api/v1/worker/config",
        ctx -> {
          LeaseTerms terms = protocol.leaseTerms();
          ctx.json(
              new LeaseTermsView(terms.lease().toMillis(), terms.heartbeatInterval().toMillis()));
        });
    app.post(
        "/api/v1/worker/heartbeat",
        ctx -> {
          HeartbeatBody body = body(ctx, HeartbeatBody.class);
          List<Lease> leases = items(body.leases(), "leases");
          ctx.json(protocol.heartbeat(worker(ctx, body.workerId()), leases));
        });
    app.post(
        "/api/v1/worker/release",
        ctx -> {
          HeartbeatBody body = body(ctx, HeartbeatBody.class);
          List<Lease> leases = batch(body.leases(), "leases");
          protocol.release(worker(ctx, body.workerId()), leases);
          ctx.status(204);
        });
    app.post(
        "/api/v1/worker/complete",
        ctx -> {
          CompleteBody body = body(ctx, CompleteBody.class);
          List<Completion> completions = batch(body.completions(), "completions");
          check(completions, "completions", WorkerApi::completionProblems);
          protocol.complete(worker(ctx, body.workerId()), completions);
          ctx.status(204);
        });
    app.post(
        "/api/v1/worker/logs",
        ctx -> {
          LogsBody body = body(ctx, LogsBody.class);
          List<LogChunk> chunks = chunks(body.chunks());
          check(chunks, "chunks", WorkerApi::chunkProblems);
          protocol.appendLogs(worker(ctx, body.workerId()), chunks);
          ctx.status(204);
        });
  }

  /**
   * A long poll. Nothing is claimed for a worker whose connection has closed while it waited, and
   * the reply is written before the handler returns: when it cannot be written, the worker never
   * saw its assignments and they are queued again at once (a lost claim, not a lost attempt).
   */
  /**
   * A worker's first call: it sends the token it was started with and gets its own credential,
   * bound to its id, pool and cluster ({@link WorkerCredentials}).
   */
  private void enrol(Context ctx) throws JsonProcessingException {
    EnrolBody body = body(ctx, EnrolBody.class);
    List<FieldError> errors = new ArrayList<>();
    String idProblem = PollBody.workerIdProblem(body.workerId());
    if (idProblem != null) {
      errors.add(new FieldError("workerId", body.workerId(), idProblem));
    }
    PollBody.name("pool", body.pool(), errors);
    if (body.cluster() != null) {
      PollBody.name("cluster", body.cluster(), errors);
    }
    if (!errors.isEmpty()) {
      throw ApiException.badRequest(errors);
    }
    String cluster = body.cluster() == null ? WorkerInfo.DEFAULT_CLUSTER : body.cluster();
    ctx.status(201).json(credentials.enrol(caller(ctx), body.workerId(), body.pool(), cluster));
  }

  private void poll(Context ctx) throws InterruptedException, JsonProcessingException {
    PollRequest request = body(ctx, PollBody.class).toRequest();
    WorkerCredentials.polling(caller(ctx), request.worker());
    PollReply reply =
        protocol.poll(
            request, PeerConnection.of(ctx.req(), () -> ctx.header(Header.CONNECTION, "close")));
    Assignments body =
        new Assignments(
            reply.assignments().stream().map(WorkerApi::view).toList(), reply.waitForCapacity());
    byte[] json =
        ctx.jsonMapper().toJsonString(body, Assignments.class).getBytes(StandardCharsets.UTF_8);
    ctx.contentType(ContentType.APPLICATION_JSON);
    ctx.res().setContentLength(json.length);
    try {
      OutputStream out = ctx.res().getOutputStream();
      out.write(json);
      out.flush();
    } catch (IOException e) {
      if (!reply.assignments().isEmpty()) {
        protocol.release(
            request.worker().workerId(),
            reply.assignments().stream().map(Assignment::lease).toList());
      }
    }
  }

  private static AssignmentView view(Assignment a) {
    return new AssignmentView(
        a.attemptId(),
        a.runId(),
        a.namespace(),
        a.job(),
        a.attempt(),
        TaskSpecCodec.toJson(a.task()),
        a.idempotencyKey(),
        a.leaseExpiresAt(),
        a.startDelayMillis(),
        a.inputs(),
        a.fireTime(),
        a.event(),
        a.fence());
  }

  /** The worker a call names, if the caller is that worker's credential (else a 403). */
  private static String worker(Context ctx, String id) {
    String problem = PollBody.workerIdProblem(id);
    if (problem != null) {
      throw ApiException.badRequest("workerId", id, problem);
    }
    WorkerCredentials.actingAs(caller(ctx), id);
    return id;
  }

  private static TokenRecord caller(Context ctx) {
    return ctx.attribute("token");
  }

  /**
   * The chunks of a logs call, each checked: a chunk's text is at most {@link LogChunk#MAX_TEXT}
   * characters (a worker makes chunks of 64 Ki), its stream stdout or stderr.
   */
  private static List<LogChunk> chunks(List<LogChunk> chunks) {
    List<LogChunk> list = batch(chunks, "chunks");
    List<FieldError> errors = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      LogChunk c = list.get(i);
      String path = "chunks[" + i + "]";
      if (c == null) {
        errors.add(new FieldError(path, null, "must be a log chunk"));
        continue;
      }
      if (c.text() == null) {
        errors.add(new FieldError(path + ".text", null, "is required"));
      } else if (c.text().length() > LogChunk.MAX_TEXT) {
        errors.add(
            new FieldError(
                path + ".text",
                c.text().length() + " characters",
                "at most " + LogChunk.MAX_TEXT + " characters"));
      }
      if (!"stdout".equals(c.stream()) && !"stderr".equals(c.stream())) {
        errors.add(new FieldError(path + ".stream", c.stream(), "must be stdout or stderr"));
      }
      if (c.seq() < 0) {
        errors.add(new FieldError(path + ".seq", String.valueOf(c.seq()), "must not be negative"));
      }
    }
    if (!errors.isEmpty()) {
      throw ApiException.badRequest(errors);
    }
    return list;
  }

  private static <T> List<T> batch(List<T> items, String field) {
    List<T> list = items(items, field);
    if (list.size() > MAX_BATCH) {
      throw ApiException.badRequest(
          field, list.size() + " items", "at most " + MAX_BATCH + " per call");
    }
    return list;
  }

  /** Every call's body is an object; JSON {@code null} is none. */
  private static <T> T body(Context ctx, Class<T> type) throws JsonProcessingException {
    T body = ApiJson.body(ctx, type);
    if (body == null) {
      throw ApiException.badRequest("body", "null", "must be a JSON object");
    }
    return body;
  }

  /** The list, empty when left out; a null in it is a 400 naming each. */
  private static <T> List<T> items(List<T> items, String field) {
    if (items == null) {
      return List.of();
    }
    check(items, field, (item, path) -> List.of());
    return items;
  }

  /** A 400 naming every item that is null or has {@code problems} (given the item's path). */
  private static <T> void check(
      List<T> items, String field, BiFunction<T, String, List<FieldError>> problems) {
    List<FieldError> errors = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      String path = field + "[" + i + "]";
      T item = items.get(i);
      if (item == null) {
        errors.add(new FieldError(path, null, "must not be null"));
      } else {
        errors.addAll(problems.apply(item, path));
      }
    }
    if (!errors.isEmpty()) {
      throw ApiException.badRequest(errors);
    }
  }

  /** A worker reports how an attempt ended: one of the ends it can see. */
  private static List<FieldError> completionProblems(Completion c, String path) {
    return REPORTED.contains(c.outcome())
        ? List.of()
        : List.of(
            new FieldError(
                path + ".outcome",
                c.outcome() == null ? null : c.outcome().name(),
                "must be one of " + REPORTED));
  }

  private static List<FieldError> chunkProblems(LogChunk c, String path) {
    List<FieldError> problems = new ArrayList<>();
    if (!"stdout".equals(c.stream()) && !"stderr".equals(c.stream())) {
      problems.add(new FieldError(path + ".stream", c.stream(), "must be stdout or stderr"));
    }
    if (c.text() == null) {
      problems.add(new FieldError(path + ".text", null, "is required"));
    }
    return problems;
  }
}
