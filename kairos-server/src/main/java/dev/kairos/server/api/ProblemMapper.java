package dev.kairos.server.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kairos.core.spec.ValidationException;
import dev.kairos.server.auth.AuthException;
import dev.kairos.store.ConflictException;
import dev.kairos.store.NotFoundException;
import dev.kairos.store.StoreException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where exceptions become HTTP responses: RFC 9457 problem+json, a precise message
 * for client errors, and for server errors a generic message (the details go to the log, never a
 * stack trace to the client).
 */
final class ProblemMapper {
  private static final Logger log = LoggerFactory.getLogger(ProblemMapper.class);

  private final ObjectMapper mapper;

  ProblemMapper(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  void register(RoutesConfig app) {
    app.exception(
        ValidationException.class,
        (e, ctx) -> send(ctx, 422, "Invalid input", e.getMessage(), e.errors()));
    app.exception(
        ApiException.class,
        (e, ctx) -> send(ctx, e.status(), e.title(), e.getMessage(), e.errors()));
    app.exception(
        ConflictException.class, (e, ctx) -> send(ctx, 409, "Conflict", e.getMessage(), List.of()));
    app.exception(
        NotFoundException.class,
        (e, ctx) -> send(ctx, 404, "Not found", e.getMessage(), List.of()));
    app.exception(
        AuthException.class,
        (e, ctx) -> {
          ctx.header("WWW-Authenticate", "Bearer realm=\"kairos\"");
          send(
              ctx,
              e.status(),
              e.status() == 401 ? "Unauthorized" : "Forbidden",
              e.getMessage(),
              List.of());
        });
    app.exception(
        JsonProcessingException.class,
        (e, ctx) ->
            send(
                ctx,
                400,
                "Bad request",
                "the body is not valid JSON of the expected shape: " + e.getOriginalMessage(),
                List.of()));
    app.exception(
        HttpResponseException.class,
        (e, ctx) -> send(ctx, e.getStatus(), "HTTP " + e.getStatus(), e.getMessage(), List.of()));
    app.exception(
        StoreException.class,
        (e, ctx) -> {
          log.error("store failure path={}: {}", ctx.path(), e.toString(), e);
          send(
              ctx, 503, "Store unavailable", "the database is not reachable; try again", List.of());
        });
    app.exception(
        Exception.class,
        (e, ctx) -> {
          BodyLimit.TooLarge tooLarge = causeOf(e, BodyLimit.TooLarge.class);
          if (tooLarge != null) {
            ApiException p = BodyLimit.tooLarge(ctx, -1, tooLarge.cap());
            send(ctx, p.status(), p.title(), p.getMessage(), List.of());
            return;
          }
          log.error("internal error path={}", ctx.path(), e);
          send(ctx, 500, "Internal error", "internal error; see the server log", List.of());
        });
    app.error(
        404,
        ctx -> {
          if (!isProblem(ctx)) {
            send(
                ctx,
                404,
                "Not found",
                "no such endpoint: " + ctx.method() + " " + ctx.path(),
                List.of());
          }
        });
    app.error(
        405,
        ctx -> {
          if (!isProblem(ctx)) {
            send(
                ctx,
                405,
                "Method not allowed",
                ctx.method() + " is not allowed on " + ctx.path(),
                List.of());
          }
        });
  }

  /** {@code e} or the first of its causes of {@code type}; null if none is. */
  private static <T extends Throwable> T causeOf(Throwable e, Class<T> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return null;
  }

  private static boolean isProblem(Context ctx) {
    String type = ctx.res().getContentType();
    return type != null && type.startsWith(Problem.MEDIA_TYPE);
  }

  private void send(
      Context ctx,
      int status,
      String title,
      String detail,
      List<dev.kairos.core.spec.FieldError> errors) {
    Problem problem = new Problem("about:blank", title, status, detail, errors);
    try {
      ctx.status(status).contentType(Problem.MEDIA_TYPE).result(mapper.writeValueAsString(problem));
    } catch (JsonProcessingException e) {
      ctx.status(500).result("{\"status\":500}");
    }
  }
}
