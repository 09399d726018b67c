package dev.kairos.server.audit;

import dev.kairos.store.AuditEntry;
import dev.kairos.store.Store;
import dev.kairos.store.TokenRecord;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.router.Endpoint;
import java.time.Clock;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records every mutating API call (POST, PUT, PATCH, DELETE under {@code /api/}) in the audit log
 * once it is answered: the token's name, the route and path, what it acted on, the status and the
 * client's address. Refused calls of a token (bad input, not allowed) are recorded too: they are
 * what an audit is for. Calls without a valid token are not, one row each (a flood of them would
 * fill the store): they are counted in {@code kairos_unauthenticated_requests_total}. Nor is the
 * worker protocol: its calls are the workers' own traffic, thousands a second.
 *
 * <p>The entry is written after the call's own transaction: a replica that dies in between loses
 * the entry of a call it had answered.
 */
public final class AuditTrail {
  private static final Logger log = LoggerFactory.getLogger(AuditTrail.class);
  private static final Set<HandlerType> MUTATING =
      Set.of(HandlerType.POST, HandlerType.PUT, HandlerType.PATCH, HandlerType.DELETE);
  private static final String SUBJECT = "kairos.auditSubject";
  private static final int MAX_FIELD = 500;

  private final Store store;
  private final Clock clock;

  public AuditTrail(Store store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /**
   * Names what a call acted on where its path does not say, e.g. the job a manifest applied: {@code
   * default/hello version 3}.
   */
  public static void subject(Context ctx, String subject) {
    ctx.attribute(SUBJECT, subject);
  }

  public void register(RoutesConfig app) {
    app.after("/api/*", this::record);
  }

  private void record(Context ctx) {
    if (!MUTATING.contains(ctx.method()) || ctx.path().startsWith("/api/v1/worker/")) {
      return;
    }
    TokenRecord token = ctx.attribute("token");
    if (token == null) {
      return; // refused before any token was known: counted by the authenticator
    }
    Endpoint matched = ctx.endpoints().matchedHttpEndpoint();
    AuditEntry entry =
        new AuditEntry(
            0,
            clock.instant(),
            token.name(),
            ctx.method().name(),
            matched == null ? "unmatched" : matched.path,
            clip(ctx.path()),
            clip(ctx.attribute(SUBJECT)),
            ctx.statusCode(),
            ctx.ip());
    try {
      store.recordAudit(entry);
    } catch (RuntimeException e) {
      // the call itself is done and answered; its audit entry is what is lost
      log.error(
          "could not record an audit entry method={} path={} token={} status={}",
          entry.method(),
          entry.path(),
          entry.tokenName(),
          entry.status(),
          e);
    }
  }

  private static String clip(String s) {
    return s == null || s.length() <= MAX_FIELD ? s : s.substring(0, MAX_FIELD);
  }
}
