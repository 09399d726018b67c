package dev.kairos.server.auth;

import static dev.kairos.server.auth.Permission.ADMIN;
import static dev.kairos.server.auth.Permission.EVENTS;
import static dev.kairos.server.auth.Permission.OPERATE;
import static dev.kairos.server.auth.Permission.READ;
import static dev.kairos.server.auth.Permission.WORKER;
import static java.util.Map.entry;

import java.util.Map;
import java.util.Set;

/**
 * Every route of the HTTP surface with what it needs, in one place to review: the permission a
 * token must have, or none for the few open routes. The server refuses to start with a route that
 * is in neither list, so a new route cannot ship without a decision.
 */
public final class RouteTable {
  private RouteTable() {}

  /** Routes anyone may call, without a token: the health check and the web UI's files. */
  public static final Set<String> OPEN = Set.of("GET /healthz", "GET /", "GET /ui/{file}");

  /** {@code "METHOD /path/template"} to the permission it needs. */
  public static final Map<String, Permission> PROTECTED =
      Map.ofEntries(
          entry("GET /metrics", READ),
          entry("GET /api/v1/alerts", READ),
          entry("GET /api/v1/audit", ADMIN),
          entry("POST /api/v1/events", EVENTS),
          entry("PUT /api/v1/jobs", OPERATE),
          entry("GET /api/v1/jobs", READ),
          entry("GET /api/v1/jobs/{namespace}/{name}", READ),
          entry("DELETE /api/v1/jobs/{namespace}/{name}", OPERATE),
          entry("POST /api/v1/jobs/{namespace}/{name}/suspend", OPERATE),
          entry("POST /api/v1/jobs/{namespace}/{name}/resume", OPERATE),
          entry("POST /api/v1/jobs/{namespace}/{name}/runs", OPERATE),
          entry("GET /api/v1/jobs/{namespace}/{name}/versions", READ),
          entry("GET /api/v1/pools", READ),
          entry("GET /api/v1/pools/{pool}", READ),
          entry("PUT /api/v1/pools/{pool}", OPERATE),
          entry("GET /api/v1/workers", READ),
          entry("GET /api/v1/runs", READ),
          entry("GET /api/v1/runs/{id}", READ),
          entry("POST /api/v1/runs/{id}/cancel", OPERATE),
          entry("POST /api/v1/runs/{id}/retry", OPERATE),
          entry("POST /api/v1/runs/{id}/tasks/{task}/rerun", OPERATE),
          entry("POST /api/v1/runs/{id}/tasks/{task}/mark", OPERATE),
          entry("GET /api/v1/runs/{id}/logs", READ),
          entry("GET /api/v1/runs/{id}/logs/stream", READ),
          entry("GET /api/v1/tokens", ADMIN),
          entry("POST /api/v1/tokens", ADMIN),
          entry("DELETE /api/v1/tokens/{name}", ADMIN),
          entry("POST /api/v1/tokens/{name}/rotate", ADMIN),
          entry("POST /api/v1/worker/enrol", WORKER),
          entry("GET /api/v1/worker/config", WORKER),
          entry("POST /api/v1/worker/poll", WORKER),
          entry("POST /api/v1/worker/heartbeat", WORKER),
          entry("POST /api/v1/worker/release", WORKER),
          entry("POST /api/v1/worker/complete", WORKER),
          entry("POST /api/v1/worker/logs", WORKER));

  /** The key of a route: {@code "POST /api/v1/events"}. */
  public static String key(String method, String path) {
    return method + " " + path;
  }

  /** The permission a route needs; null for an open route or one the table does not know. */
  public static Permission of(String method, String path) {
    return PROTECTED.get(key(method, path));
  }

  /** Whether the table decides about a route (protected or open). */
  public static boolean decides(String method, String path) {
    String key = key(method, path);
    return OPEN.contains(key) || PROTECTED.containsKey(key);
  }
}
