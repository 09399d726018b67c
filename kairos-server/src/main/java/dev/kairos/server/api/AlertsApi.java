package dev.kairos.server.api;

import dev.kairos.core.spec.JobKey;
import dev.kairos.server.auth.Namespaces;
import dev.kairos.store.AlertQuery;
import dev.kairos.store.AlertRecord;
import dev.kairos.store.Store;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.net.URI;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * {@code GET /api/v1/alerts}: alerts and their delivery status, newest first, a page at a time;
 * filtered by {@code job=NAMESPACE/NAME}, {@code run=ID} and {@code
 * state=pending|delivered|failed}. A webhook's URL is shown as its scheme and host only: the path
 * of a Slack webhook is its secret.
 */
public final class AlertsApi implements Routes {
  private final Store store;

  public AlertsApi(Store store) {
    this.store = store;
  }

  /** An alert as the API shows it. */
  record AlertView(
      long id,
      long runId,
      String namespace,
      String job,
      String kind,
      String task,
      String detail,
      String webhook,
      String format,
      String state,
      int attempts,
      Instant nextAttemptAt,
      String lastError,
      Instant createdAt,
      Instant deliveredAt) {}

  record Page(List<AlertView> items, Long next) {}

  @Override
  public void register(RoutesConfig app) {
    app.get("/api/v1/alerts", this::list);
  }

  private void list(Context ctx) {
    Paging paging = Paging.of(ctx);
    String run = ctx.queryParam("run");
    Long runId = run == null ? null : (long) RunsApi.intParam(ctx, "run", 0, 1, Integer.MAX_VALUE);
    JobKey job = RunsApi.jobParam(ctx.queryParam("job"));
    if (job != null) {
      Namespaces.check(ctx, job.namespace());
    }
    List<AlertRecord> items =
        store.listAlerts(
            new AlertQuery(
                job,
                runId,
                state(ctx.queryParam("state")),
                paging.before(),
                paging.limit(),
                Namespaces.of(ctx)));
    ctx.json(
        new Page(
            items.stream().map(AlertsApi::view).toList(), paging.next(items, AlertRecord::id)));
  }

  private static AlertRecord.State state(String raw) {
    if (raw == null || raw.isBlank()) {
      return null;
    }
    try {
      return AlertRecord.State.valueOf(raw.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(
          "query state",
          raw,
          "unknown alert state; allowed: "
              + Arrays.stream(AlertRecord.State.values())
                  .map(s -> s.name().toLowerCase(Locale.ROOT))
                  .toList());
    }
  }

  static AlertView view(AlertRecord a) {
    return new AlertView(
        a.id(),
        a.runId(),
        a.namespace(),
        a.job(),
        a.kind().specName(),
        a.task(),
        a.detail(),
        origin(a.url()),
        a.format().name().toLowerCase(Locale.ROOT),
        a.state().name(),
        a.attempts(),
        a.nextAttemptAt(),
        a.lastError(),
        a.createdAt(),
        a.deliveredAt());
  }

  /** {@code https://hooks.slack.com/…}: where it goes, without what the path may hide. */
  static String origin(String url) {
    URI u = URI.create(url);
    String port = u.getPort() < 0 ? "" : ":" + u.getPort();
    String path = u.getRawPath() == null || u.getRawPath().isEmpty() ? "" : "/…";
    return u.getScheme() + "://" + u.getHost() + port + path;
  }
}
