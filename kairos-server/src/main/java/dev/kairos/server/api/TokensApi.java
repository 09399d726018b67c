package dev.kairos.server.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.kairos.core.spec.FieldError;
import dev.kairos.core.spec.Names;
import dev.kairos.server.auth.Tokens;
import dev.kairos.store.Store;
import dev.kairos.store.TokenInfo;
import dev.kairos.store.TokenRecord;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * {@code /api/v1/tokens} (admin tokens only): create a token with a role, list the tokens (never
 * their secrets), revoke them by name. A token's secret is shown once, in the answer that creates
 * it; the store keeps only its SHA-256. A revoked token stops working on every replica within a
 * second.
 */
public final class TokensApi implements Routes {
  private final Store store;
  private final Clock clock;

  public TokensApi(Store store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /** The body of {@code POST /api/v1/tokens}. */
  record CreateBody(String name, String role) {}

  /** A token as listed. */
  record TokenView(String name, String role, Instant createdAt) {}

  /** A token just made: the only time its secret is shown. */
  record Created(String name, String role, Instant createdAt, String token) {}

  @Override
  public void register(RoutesConfig app) {
    app.get("/api/v1/tokens", this::list);
    app.post("/api/v1/tokens", this::create);
    app.delete("/api/v1/tokens/{name}", this::revoke);
    app.post("/api/v1/tokens/{name}/rotate", this::rotate);
  }

  /** A new secret for the tokens of a name, same role; the old ones stop working at once. */
  private void rotate(Context ctx) {
    String name = ctx.pathParam("name");
    String secret = Tokens.generate();
    Instant now = clock.instant();
    TokenRecord.Role role =
        store
            .rotateToken(name, Tokens.sha256Hex(secret), now)
            .orElseThrow(
                () -> new ApiException(404, "Not found", "no token named " + name, List.of()));
    ctx.json(new Created(name, role.name().toLowerCase(Locale.ROOT), now, secret));
  }

  private void list(Context ctx) {
    ctx.json(new Views.Items<>(store.listTokens().stream().map(TokensApi::view).toList()));
  }

  private void create(Context ctx) throws JsonProcessingException {
    CreateBody body = ApiJson.body(ctx, CreateBody.class);
    if (body == null) {
      throw ApiException.badRequest("body", "null", "must be {\"name\": ..., \"role\": ...}");
    }
    String problem = body.name() == null ? "is required" : Names.checkDnsLabel(body.name());
    TokenRecord.Role role = role(body.role());
    List<FieldError> errors = new java.util.ArrayList<>();
    if (problem != null) {
      errors.add(new FieldError("name", String.valueOf(body.name()), problem));
    }
    if (role == null) {
      errors.add(new FieldError("role", String.valueOf(body.role()), "must be " + allowedRoles()));
    }
    if (!errors.isEmpty()) {
      throw ApiException.badRequest(errors);
    }
    if (store.listTokens().stream().anyMatch(t -> t.name().equals(body.name()))) {
      throw new ApiException(
          409,
          "Conflict",
          "a token named "
              + body.name()
              + " exists; revoke it first (DELETE /api/v1/tokens/"
              + body.name()
              + ") or pick another name",
          List.of());
    }
    String secret = Tokens.generate();
    Instant now = clock.instant();
    store.saveToken(Tokens.sha256Hex(secret), new TokenRecord(body.name(), role), now);
    ctx.status(201)
        .json(new Created(body.name(), role.name().toLowerCase(Locale.ROOT), now, secret));
  }

  private void revoke(Context ctx) {
    String name = ctx.pathParam("name");
    if (store.revokeTokens(name) == 0) {
      throw new ApiException(404, "Not found", "no token named " + name, List.of());
    }
    ctx.status(204);
  }

  private static TokenView view(TokenInfo t) {
    return new TokenView(t.name(), t.role().name().toLowerCase(Locale.ROOT), t.createdAt());
  }

  private static TokenRecord.Role role(String text) {
    if (text == null) {
      return null;
    }
    return Arrays.stream(TokenRecord.Role.values())
        .filter(r -> r.name().equalsIgnoreCase(text))
        .findFirst()
        .orElse(null);
  }

  static String allowedRoles() {
    return String.join(
        ", ",
        Arrays.stream(TokenRecord.Role.values())
            .map(r -> r.name().toLowerCase(Locale.ROOT))
            .toList());
  }
}
