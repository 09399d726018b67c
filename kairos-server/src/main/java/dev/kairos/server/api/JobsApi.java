package dev.kairos.server.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kairos.core.spec.JobKey;
import dev.kairos.core.spec.JobManifest;
import dev.kairos.core.spec.JobManifestCodec;
import dev.kairos.core.spec.Names;
import dev.kairos.server.audit.AuditTrail;
import dev.kairos.server.auth.Namespaces;
import dev.kairos.server.jobs.JobService;
import dev.kairos.store.ApplyResult;
import dev.kairos.store.JobRecord;
import dev.kairos.store.RunQuery;
import dev.kairos.store.RunRecord;
import dev.kairos.store.Store;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.List;

/** {@code /api/v1/jobs}: apply, list, get, delete, suspend, resume, trigger. */
public final class JobsApi implements Routes {
  /** The longest idempotency key accepted (it is stored and indexed). */
  static final int MAX_IDEMPOTENCY_KEY = 200;

  private final JobService jobs;
  private final Store store;
  private final ObjectMapper mapper;

  public JobsApi(JobService jobs, Store store, ObjectMapper mapper) {
    this.jobs = jobs;
    this.store = store;
    this.mapper = mapper;
  }

  @Override
  public void register(RoutesConfig app) {
    app.put("/api/v1/jobs", this::apply);
    app.get("/api/v1/jobs", this::list);
    app.get("/api/v1/jobs/{namespace}/{name}", ctx -> ctx.json(view(jobs.get(key(ctx)))));
    app.delete(
        "/api/v1/jobs/{namespace}/{name}",
        ctx -> {
          jobs.delete(key(ctx));
          ctx.status(204);
        });
    app.post(
        "/api/v1/jobs/{namespace}/{name}/suspend", ctx -> ctx.json(view(jobs.suspend(key(ctx)))));
    app.post(
        "/api/v1/jobs/{namespace}/{name}/resume", ctx -> ctx.json(view(jobs.resume(key(ctx)))));
    app.post("/api/v1/jobs/{namespace}/{name}/runs", this::trigger);
    app.get(
        "/api/v1/jobs/{namespace}/{name}/versions",
        ctx -> {
          JobKey key = key(ctx);
          jobs.get(key); // 404 for an unknown job
          ctx.json(new Views.Items<>(store.jobVersions(key, 100)));
        });
  }

  private void apply(Context ctx) {
    String body = ctx.body();
    String type = ctx.contentType() == null ? "" : ctx.contentType();
    JobManifest manifest =
        type.contains("yaml") ? oneYamlManifest(body) : JobManifestCodec.parseJson(body);
    AuditTrail.subject(ctx, manifest.namespace() + "/" + manifest.name());
    Namespaces.check(ctx, manifest.namespace());
    ApplyResult result = jobs.apply(manifest);
    AuditTrail.subject(
        ctx,
        result.job().key().namespace()
            + "/"
            + result.job().key().name()
            + " version "
            + result.job().version()
            + " "
            + result.change().name().toLowerCase(java.util.Locale.ROOT));
    ctx.status(result.change() == ApplyResult.Change.CREATED ? 201 : 200);
    ctx.json(new Applied(result.change().name(), view(result.job())));
  }

  record Applied(String change, Views.JobView job) {}

  /**
   * The manifest of a YAML body, which must be one document: of several, applying the first alone
   * (as it was) half-applies the file, and applying them all makes one request of many changes,
   * each of which may fail on its own. {@code kairos apply -f} sends each document in turn.
   */
  private static JobManifest oneYamlManifest(String body) {
    List<com.fasterxml.jackson.databind.JsonNode> docs = JobManifestCodec.yamlDocuments(body);
    if (docs.size() > 1) {
      throw ApiException.badRequest("body", null, JobManifestCodec.severalDocuments(docs.size()));
    }
    return docs.isEmpty() ? JobManifestCodec.parseYaml(body) : JobManifestCodec.parse(docs.get(0));
  }

  private void list(Context ctx) {
    String namespace = ctx.queryParam("namespace");
    String problem = namespace == null ? null : Names.checkDnsLabel(namespace);
    if (problem != null && !namespace.isEmpty()) {
      throw ApiException.badRequest("query namespace", namespace, problem);
    }
    if (namespace != null && !namespace.isEmpty()) {
      Namespaces.check(ctx, namespace);
    }
    List<Views.JobView> items =
        jobs.list(namespace).stream()
            .filter(j -> Namespaces.reaches(ctx, j.key().namespace()))
            .map(this::view)
            .toList();
    ctx.json(new Views.Items<>(items));
  }

  private void trigger(Context ctx) {
    String key = ctx.header("Idempotency-Key");
    if (key != null && (key.isBlank() || key.length() > MAX_IDEMPOTENCY_KEY)) {
      throw ApiException.badRequest(
          "header Idempotency-Key", key, "must be 1 to " + MAX_IDEMPOTENCY_KEY + " characters");
    }
    Instant fireTime = fireTime(ctx.body());
    if (fireTime != null && key != null) {
      throw ApiException.badRequest(
          "header Idempotency-Key",
          key,
          "is not needed with a fireTime: a job has one run per fire time already");
    }
    JobService.Triggered triggered =
        fireTime == null ? jobs.trigger(key(ctx), key) : jobs.backfill(key(ctx), fireTime);
    ctx.status(triggered.created() ? 201 : 200);
    ctx.json(Views.detail(store, triggered.run()));
  }

  /** The body of a trigger: empty, or {"fireTime": ISO instant} to run one fire of the schedule. */
  record TriggerBody(String fireTime) {}

  private static Instant fireTime(String body) {
    if (body == null || body.isBlank()) {
      return null;
    }
    TriggerBody parsed;
    try {
      parsed = ApiJson.read(body, TriggerBody.class);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      parsed = null;
    }
    if (parsed == null) {
      throw ApiException.badRequest(
          "body", null, "must be empty or {\"fireTime\": \"2026-01-01T00:00:00Z\"}");
    }
    String text = parsed.fireTime();
    if (text == null) {
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (java.time.format.DateTimeParseException e) {
      throw ApiException.badRequest(
          "fireTime", text, "must be an ISO-8601 instant such as 2026-01-01T02:00:00Z");
    }
  }

  private Views.JobView view(JobRecord job) {
    List<RunRecord> last = store.listRuns(new RunQuery(job.key(), null, 1, null));
    return Views.job(job, last.isEmpty() ? null : last.get(0), mapper);
  }

  static JobKey key(Context ctx) {
    return new JobKey(ctx.pathParam("namespace"), ctx.pathParam("name"));
  }
}
