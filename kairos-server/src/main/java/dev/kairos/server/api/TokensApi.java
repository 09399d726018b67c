package dev.kairos.server.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.kairos.core.spec.Durations;
import dev.kairos.core.spec.FieldError;
import dev.kairos.core.spec.Names;
import dev.kairos.server.auth.Tokens;
import dev.kairos.store.Store;
import dev.kairos.store.TokenInfo;
import dev.kairos.store.TokenRecord;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * {@code /api/v1/tokens} (admin tokens only): create a token with a role and optional limits
 * (namespaces, worker pools and clusters, an expiry), list the tokens (never their secrets), revoke
 * and rotate them by name. A token's secret is shown once, in the answer that creates it; the store
 * keeps only its SHA-256. A revoked token stops working on every replica within a second.
 */
public final class TokensApi implements Routes {
  private final Store store;
  private final Clock clock;

  public TokensApi(Store store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /** The most namespaces, pools or clusters one token may be limited to. */
  static final int MAX_LIMITS = 100;

  /** The shortest and longest {@code expiresIn}. */
  static final Duration MIN_EXPIRY = Duration.ofMinutes(1);

  static final Duration MAX_EXPIRY = Duration.ofDays(3650);

  /**
   * The body of {@code POST /api/v1/tokens}.
   *
   * @param namespaces optional: the namespaces an operator, viewer or events token is limited to
   * @param pools optional: the pools a worker token may enrol workers of
   * @param clusters optional: the clusters a worker token may enrol workers of
   * @param expiresIn optional: how long it works, {@code 1m} to {@code 3650d}; forever when absent
   */
  record CreateBody(
      String name,
      String role,
      List<String> namespaces,
      List<String> pools,
      List<String> clusters,
      String expiresIn) {}

  /** A token as listed; {@code workerId} is set for a worker's credential. */
  record TokenView(
      String name,
      String role,
      List<String> namespaces,
      List<String> pools,
      List<String> clusters,
      Instant expiresAt,
      String workerId,
      Instant createdAt) {}

  /** A token just made: the only time its secret is shown. */
  record Created(
      String name,
      String role,
      List<String> namespaces,
      List<String> pools,
      List<String> clusters,
      Instant expiresAt,
      Instant createdAt,
      String token) {
    Created(TokenRecord t, Instant createdAt, String token) {
      this(
          t.name(),
          t.role().name().toLowerCase(Locale.ROOT),
          t.namespaces(),
          t.pools(),
          t.clusters(),
          t.expiresAt(),
          createdAt,
          token);
    }
  }

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
    TokenRecord token =
        store
            .rotateToken(name, Tokens.sha256Hex(secret), now)
            .orElseThrow(
                () -> new ApiException(404, "Not found", "no token named " + name, List.of()));
    ctx.json(new Created(token, now, secret));
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
    List<FieldError> errors = new ArrayList<>();
    if (problem != null) {
      errors.add(new FieldError("name", String.valueOf(body.name()), problem));
    }
    if (role == null) {
      errors.add(new FieldError("role", String.valueOf(body.role()), "must be " + allowedRoles()));
    }
    List<String> namespaces = names("namespaces", body.namespaces(), errors);
    List<String> pools = names("pools", body.pools(), errors);
    List<String> clusters = names("clusters", body.clusters(), errors);
    if (role != null) {
      limitsFit(role, namespaces, pools, clusters, errors);
    }
    Instant now = clock.instant();
    Instant expiresAt = null;
    if (body.expiresIn() != null) {
      try {
        expiresAt = now.plus(Durations.parseWithin(body.expiresIn(), MIN_EXPIRY, MAX_EXPIRY));
      } catch (IllegalArgumentException e) {
        errors.add(new FieldError("expiresIn", body.expiresIn(), e.getMessage()));
      }
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
    TokenRecord token =
        new TokenRecord(body.name(), role, namespaces, pools, clusters, expiresAt, null);
    store.saveToken(Tokens.sha256Hex(secret), token, now);
    ctx.status(201).json(new Created(token, now, secret));
  }

  /** The names of a limit, each a DNS label; empty when left out. */
  private static List<String> names(String field, List<String> names, List<FieldError> errors) {
    if (names == null) {
      return List.of();
    }
    if (names.size() > MAX_LIMITS) {
      errors.add(new FieldError(field, names.size() + " items", "at most " + MAX_LIMITS));
      return List.of();
    }
    for (int i = 0; i < names.size(); i++) {
      String n = names.get(i);
      String problem = n == null ? "must not be null" : Names.checkDnsLabel(n);
      if (problem != null) {
        errors.add(new FieldError(field + "[" + i + "]", n, problem));
      }
    }
    return names.stream().distinct().toList();
  }

  /**
   * Namespaces limit the tokens that act on jobs and runs (operator, viewer, events): an admin
   * token limited to some would still mint itself an unlimited one. Pools and clusters limit the
   * workers a worker token enrols.
   */
  private static void limitsFit(
      TokenRecord.Role role,
      List<String> namespaces,
      List<String> pools,
      List<String> clusters,
      List<FieldError> errors) {
    boolean namespaced =
        role == TokenRecord.Role.OPERATOR
            || role == TokenRecord.Role.VIEWER
            || role == TokenRecord.Role.EVENTS;
    if (!namespaces.isEmpty() && !namespaced) {
      errors.add(
          new FieldError(
              "namespaces",
              String.join(",", namespaces),
              "only operator, viewer and events tokens are limited to namespaces, not "
                  + role.name().toLowerCase(Locale.ROOT)));
    }
    if (role != TokenRecord.Role.WORKER) {
      if (!pools.isEmpty()) {
        errors.add(
            new FieldError("pools", String.join(",", pools), "only worker tokens have pools"));
      }
      if (!clusters.isEmpty()) {
        errors.add(
            new FieldError(
                "clusters", String.join(",", clusters), "only worker tokens have clusters"));
      }
    }
  }

  private void revoke(Context ctx) {
    String name = ctx.pathParam("name");
    if (store.revokeTokens(name) == 0) {
      throw new ApiException(404, "Not found", "no token named " + name, List.of());
    }
    ctx.status(204);
  }

  private static TokenView view(TokenInfo info) {
    TokenRecord t = info.token();
    return new TokenView(
        t.name(),
        t.role().name().toLowerCase(Locale.ROOT),
        t.namespaces(),
        t.pools(),
        t.clusters(),
        t.expiresAt(),
        t.workerId(),
        info.createdAt());
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
