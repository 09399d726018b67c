package dev.kairos.server.api;

import com.fasterxml.jackson.annotation.JsonRawValue;
import dev.kairos.core.protocol.Assignment;
import dev.kairos.core.protocol.Completion;
import dev.kairos.core.protocol.LeaseTerms;
import dev.kairos.core.protocol.LogChunk;
import dev.kairos.core.protocol.PollReply;
import dev.kairos.core.protocol.WorkerProtocol;
import dev.kairos.core.spec.FieldError;
import dev.kairos.core.spec.TaskSpecCodec;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The worker protocol over HTTP ({@code /api/v1/worker/*}), for workers in other processes. The
 * bodies mirror {@link WorkerProtocol}'s methods; see kairos-worker's HttpWorkerProtocol for the
 * client side.
 */
public final class WorkerApi implements Routes {
  private static final int MAX_BATCH = 1_000;

  private final WorkerProtocol protocol;

  public WorkerApi(WorkerProtocol protocol) {
    this.protocol = protocol;
  }

  record HeartbeatBody(String workerId, List<Long> attemptIds) {}

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
      @JsonRawValue String event) {}

  record Assignments(List<AssignmentView> assignments, boolean waitForCapacity) {}

  record LeaseTermsView(long leaseMillis, long heartbeatIntervalMillis) {}

  @Override
  public void register(Javalin app) {
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
          HeartbeatBody body = ctx.bodyAsClass(HeartbeatBody.class);
          ctx.json(protocol.heartbeat(workerId(body.workerId()), nonNull(body.attemptIds())));
        });
    app.post(
        "/api/v1/worker/release",
        ctx -> {
          HeartbeatBody body = ctx.bodyAsClass(HeartbeatBody.class);
          protocol.release(workerId(body.workerId()), batch(body.attemptIds(), "attemptIds"));
          ctx.status(204);
        });
    app.post(
        "/api/v1/worker/complete",
        ctx -> {
          CompleteBody body = ctx.bodyAsClass(CompleteBody.class);
          protocol.complete(workerId(body.workerId()), batch(body.completions(), "completions"));
          ctx.status(204);
        });
    app.post(
        "/api/v1/worker/logs",
        ctx -> {
          LogsBody body = ctx.bodyAsClass(LogsBody.class);
          protocol.appendLogs(workerId(body.workerId()), chunks(body.chunks()));
          ctx.status(204);
        });
  }

  private void poll(Context ctx) throws InterruptedException {
    PollReply reply = protocol.poll(ctx.bodyAsClass(PollBody.class).toRequest());
    ctx.json(
        new Assignments(
            reply.assignments().stream().map(WorkerApi::view).toList(), reply.waitForCapacity()));
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
        a.event());
  }

  private static String workerId(String id) {
    String problem = PollBody.workerIdProblem(id);
    if (problem != null) {
      throw ApiException.badRequest("workerId", id, problem);
    }
    return id;
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
    List<T> list = nonNull(items);
    if (list.size() > MAX_BATCH) {
      throw ApiException.badRequest(
          field, list.size() + " items", "at most " + MAX_BATCH + " per call");
    }
    return list;
  }

  private static <T> List<T> nonNull(List<T> items) {
    return items == null ? List.of() : items;
  }
}
