package dev.kairos.server.auth;

import dev.kairos.store.Store;
import dev.kairos.store.TokenRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks {@code Authorization: Bearer <token>} against the stored token hashes, and a token's role
 * against what a route needs ({@link RouteTable}). Valid tokens are cached for a second, so the hot
 * worker endpoints do not hit the store on every call and a revoked token stops working on every
 * replica within a second.
 */
public final class TokenAuthenticator {
  private static final Duration CACHE_TTL = Duration.ofSeconds(1);
  private static final int MAX_CACHED = 10_000;

  private final Store store;
  private final Clock clock;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();
  private final Counter missing;
  private final Counter invalid;

  private record Cached(TokenRecord token, Instant until) {}

  /**
   * @param registry where requests refused for want of a valid token are counted: {@code
   *     kairos_unauthenticated_requests_total{reason="missing"|"invalid"}}. They are not audited
   *     one row each, so that a flood of them cannot fill the store.
   */
  public TokenAuthenticator(Store store, Clock clock, MeterRegistry registry) {
    this.store = store;
    this.clock = clock;
    this.missing = unauthenticated(registry, "missing");
    this.invalid = unauthenticated(registry, "invalid");
  }

  private static Counter unauthenticated(MeterRegistry registry, String reason) {
    return Counter.builder("kairos.unauthenticated.requests")
        .description(
            "Requests refused with 401: without a bearer token (missing) or with one that is not"
                + " a token of this installation (invalid)")
        .tag("reason", reason)
        .register(registry);
  }

  /**
   * Returns the token's record if the header carries a valid token that has not expired; a 401
   * otherwise.
   */
  public TokenRecord authenticate(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      missing.increment();
      throw new AuthException(401, "missing bearer token: send 'Authorization: Bearer <token>'");
    }
    String hash = Tokens.sha256Hex(authorization.substring(7).trim());
    Instant now = clock.instant();
    Cached cached = cache.get(hash);
    TokenRecord token;
    if (cached != null && cached.until().isAfter(now)) {
      token = cached.token();
    } else {
      token =
          store
              .findToken(hash)
              .orElseThrow(() -> {
                invalid.increment();
                return new AuthException(401, "invalid token");
              });
      if (cache.size() >= MAX_CACHED) {
        cache.clear();
      }
      cache.put(hash, new Cached(token, now.plus(CACHE_TTL)));
    }
    if (token.expiredAt(now)) {
      invalid.increment();
      throw new AuthException(
          401,
          "token '"
              + token.name()
              + "' expired at "
              + token.expiresAt()
              + ": ask an administrator for a new one");
    }
    return token;
  }

  /**
   * A 403 unless {@code token} may call the route {@code method path} (its template, as {@link
   * RouteTable} names it). A route the table does not know is refused: it has no decision yet.
   */
  public static void authorize(TokenRecord token, String method, String path) {
    Permission needed = RouteTable.of(method, path);
    if (needed == null) {
      throw new AuthException(403, method + " " + path + " is open to no token yet");
    }
    if (!needed.grantedTo(token.role())) {
      throw new AuthException(
          403,
          "token '"
              + token.name()
              + "' ("
              + token.role().name().toLowerCase()
              + ") may not "
              + method
              + " "
              + path
              + ": it needs "
              + needed.name().toLowerCase()
              + ", which "
              + needed.roles()
              + " tokens have");
    }
  }
}
