package dev.kairos.server.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kairos.core.protocol.LogChunk;
import dev.kairos.core.run.RunState;
import dev.kairos.core.spec.JobKey;
import dev.kairos.core.spec.Names;
import dev.kairos.server.auth.Namespaces;
import dev.kairos.server.pools.PoolStatus;
import dev.kairos.store.AttemptRecord;
import dev.kairos.store.NotFoundException;
import dev.kairos.store.RunQuery;
import dev.kairos.store.RunRecord;
import dev.kairos.store.RunRepair;
import dev.kairos.store.Store;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** {@code /api/v1/runs}: list, get with attempts, cancel, logs. */
public final class RunsApi implements Routes {
  private static final int DEFAULT_LIMIT = 50;
  private static final int MAX_LIMIT = 1000;

  private final Store store;
  private final Clock clock;
  private final PoolStatus pools;
  private final LogStream logStream;

  public RunsApi(Store store, Clock clock, PoolStatus pools, ObjectMapper mapper) {
    this.store = store;
    this.clock = clock;
    this.pools = pools;
    this.logStream = new LogStream(store, mapper);
  }

  @Override
  public void register(RoutesConfig app) {
    app.get("/api/v1/runs", this::list);
    app.get(
        "/api/v1/runs/{id}",
        ctx -> {
          RunRecord run = find(ctx);
          ctx.json(Views.detail(store, run, pools.explainer(), clock.instant()));
        });
    app.post("/api/v1/runs/{id}/cancel", this::cancel);
    app.post("/api/v1/runs/{id}/retry", ctx -> repaired(ctx, new RunRepair.RetryFailed()));
    app.post(
        "/api/v1/runs/{id}/tasks/{task}/rerun",
        ctx -> {
          String downstream = ctx.queryParam("downstream");
          if (downstream != null && !downstream.equals("true") && !downstream.equals("false")) {
            throw ApiException.badRequest("downstream", downstream, "must be true or false");
          }
          repaired(ctx, new RunRepair.Rerun(ctx.pathParam("task"), !"false".equals(downstream)));
        });
    app.post(
        "/api/v1/runs/{id}/tasks/{task}/mark",
        ctx -> {
          MarkBody body = ApiJson.body(ctx, MarkBody.class);
          String state = body == null ? null : body.state();
          if (!"SUCCEEDED".equals(state) && !"SKIPPED".equals(state)) {
            throw ApiException.badRequest("state", state, "must be SUCCEEDED or SKIPPED");
          }
          repaired(ctx, new RunRepair.Mark(ctx.pathParam("task"), state.equals("SUCCEEDED")));
        });
    app.get("/api/v1/runs/{id}/logs", this::logs);
    // an unknown run is a 404 before the stream starts (after the token's permission is checked)
    app.beforeMatched("/api/v1/runs/{id}/logs/stream", this::find);
    app.sse(
        "/api/v1/runs/{id}/logs/stream", client -> logStream.stream(client, runId(client.ctx())));
  }

  private void list(Context ctx) {
    JobKey job = jobParam(ctx.queryParam("job"));
    RunState state = stateParam(ctx.queryParam("state"));
    int limit = intParam(ctx, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
    String before = ctx.queryParam("before");
    Long beforeId = before == null ? null : (long) intParam(ctx, "before", 0, 1, Integer.MAX_VALUE);
    if (job != null) {
      Namespaces.check(ctx, job.namespace());
    }
    List<Views.RunView> items =
        store.listRuns(new RunQuery(job, state, limit, beforeId, Namespaces.of(ctx))).stream()
            .map(r -> Views.run(r, null, null))
            .toList();
    ctx.json(new Views.Items<>(items));
  }

  record MarkBody(String state) {}

  private void repaired(Context ctx, RunRepair repair) {
    RunRecord run = store.repairRun(runId(ctx), repair, clock.instant());
    ctx.json(Views.detail(store, run));
  }

  private void cancel(Context ctx) {
    long id = runId(ctx);
    RunRecord run =
        store
            .cancelRun(id, "cancelled through the API", clock.instant())
            .orElseThrow(() -> new NotFoundException("run " + id + " not found"));
    ctx.json(Views.detail(store, run));
  }

  private void logs(Context ctx) {
    RunRecord run = find(ctx);
    Map<Long, AttemptRecord> attempts =
        store.attemptsOf(run.id()).stream()
            .collect(Collectors.toMap(AttemptRecord::id, Function.identity()));
    List<LogChunk> chunks = store.logsOfRun(run.id());
    ctx.json(new Views.Items<>(chunks.stream().map(c -> Views.log(c, attempts)).toList()));
  }

  private RunRecord find(Context ctx) {
    long id = runId(ctx);
    return store.findRun(id).orElseThrow(() -> new NotFoundException("run " + id + " not found"));
  }

  /**
   * The run the path names. For a caller limited to namespaces, a run of another namespace is not
   * found (one lookup more, for those callers only).
   */
  private long runId(Context ctx) {
    long id = parseRunId(ctx.pathParam("id"));
    if (!Namespaces.of(ctx).isEmpty()) {
      RunRecord run = store.findRun(id).orElse(null);
      if (run != null && !Namespaces.reaches(ctx, run.job().namespace())) {
        throw new NotFoundException("run " + id + " not found");
      }
    }
    return id;
  }

  private static long parseRunId(String raw) {
    try {
      long id = Long.parseLong(raw);
      if (id > 0) {
        return id;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw ApiException.badRequest("path id", raw, "must be a positive run id");
  }

  /**
   * {@code job=NAME} or {@code job=NAMESPACE/NAME}, each a DNS label: a 400 otherwise, where a NUL
   * reached PostgreSQL and came back as a 503.
   */
  static JobKey jobParam(String raw) {
    if (raw == null || raw.isBlank()) {
      return null;
    }
    int slash = raw.indexOf('/');
    JobKey key =
        slash < 0
            ? new JobKey("default", raw)
            : new JobKey(raw.substring(0, slash), raw.substring(slash + 1));
    String problem = Names.checkDnsLabel(key.namespace());
    if (problem == null) {
      problem = Names.checkDnsLabel(key.name());
    }
    if (problem != null) {
      throw ApiException.badRequest("query job", raw, "is NAME or NAMESPACE/NAME; each " + problem);
    }
    return key;
  }

  static RunState stateParam(String raw) {
    if (raw == null || raw.isBlank()) {
      return null;
    }
    try {
      return RunState.valueOf(raw.trim().toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(
          "query state", raw, "unknown run state; allowed: " + Arrays.toString(RunState.values()));
    }
  }

  static int intParam(Context ctx, String name, int dflt, int min, int max) {
    String raw = ctx.queryParam(name);
    if (raw == null || raw.isBlank()) {
      return dflt;
    }
    try {
      int v = Integer.parseInt(raw.trim());
      if (v >= min && v <= max) {
        return v;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw ApiException.badRequest(
        "query " + name, raw, "must be an integer from " + min + " to " + max);
  }
}
