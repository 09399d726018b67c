package dev.kairos.server.api;

import dev.kairos.store.AuditEntry;
import dev.kairos.store.AuditQuery;
import dev.kairos.store.Store;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.List;

/**
 * {@code GET /api/v1/audit}: the audit log, newest first, a page at a time ({@code limit}, and
 * {@code before} set to the {@code next} of the page before), optionally of one token ({@code
 * token=NAME}).
 */
public final class AuditApi implements Routes {
  private final Store store;

  public AuditApi(Store store) {
    this.store = store;
  }

  /** A page of entries; {@code next} is the {@code before} of the next page, null at the end. */
  record Page(List<AuditEntry> items, Long next) {}

  @Override
  public void register(RoutesConfig app) {
    app.get("/api/v1/audit", this::list);
  }

  private void list(Context ctx) {
    Paging paging = Paging.of(ctx);
    String token = ctx.queryParam("token");
    if (token != null && token.chars().anyMatch(Character::isISOControl)) {
      // a NUL reached PostgreSQL and came back as a 503
      throw ApiException.badRequest("query token", token, "must be a token name");
    }
    List<AuditEntry> items =
        store.listAudit(
            new AuditQuery(
                token == null || token.isBlank() ? null : token, paging.before(), paging.limit()));
    ctx.json(new Page(items, paging.next(items, AuditEntry::id)));
  }
}
