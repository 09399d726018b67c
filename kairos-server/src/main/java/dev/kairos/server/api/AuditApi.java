package dev.kairos.server.api;

import dev.kairos.store.AuditEntry;
import dev.kairos.store.AuditQuery;
import dev.kairos.store.Store;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.List;

/**
 * {@code GET /api/v1/audit}: the audit log, newest first, a page at a time ({@code limit}, and
 * {@code before} set to the {@code next} of the page before), optionally of one token ({@code
 * token=NAME}).
 */
public final class AuditApi implements Routes {
  private static final int DEFAULT_LIMIT = 100;
  private static final int MAX_LIMIT = 1_000;

  private final Store store;

  public AuditApi(Store store) {
    this.store = store;
  }

  /** A page of entries; {@code next} is the {@code before} of the next page, null at the end. */
  record Page(List<AuditEntry> items, Long next) {}

  @Override
  public void register(Javalin app) {
    app.get("/api/v1/audit", this::list);
  }

  private void list(Context ctx) {
    int limit = RunsApi.intParam(ctx, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
    String before = ctx.queryParam("before");
    Long beforeId =
        before == null ? null : (long) RunsApi.intParam(ctx, "before", 0, 1, Integer.MAX_VALUE);
    String token = ctx.queryParam("token");
    List<AuditEntry> items =
        store.listAudit(
            new AuditQuery(token == null || token.isBlank() ? null : token, beforeId, limit));
    Long next = items.size() < limit ? null : items.get(items.size() - 1).id();
    ctx.json(new Page(items, next));
  }
}
