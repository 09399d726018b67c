package dev.kairos.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kairos.core.tls.ClientTls;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;

/** The REST API as the CLI uses it; methods named by intent, answers as JSON trees. */
public final class ApiClient {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http;
  private final String base;
  private final String token;

  /**
   * @param tls whom to trust for an {@code https://} server; null for the JDK's default CAs
   */
  public ApiClient(String base, String token, SSLContext tls) {
    this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    this.token = token;
    HttpClient.Builder http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
    if (tls != null) {
      http.sslContext(tls);
    }
    this.http = http.build();
  }

  public String base() {
    return base;
  }

  public JsonNode applyJob(JsonNode manifest) {
    return send("PUT", "/api/v1/jobs", manifest.toString());
  }

  public JsonNode listJobs(String namespace) {
    return send(
        "GET", "/api/v1/jobs" + (namespace == null ? "" : "?namespace=" + enc(namespace)), null);
  }

  public JsonNode getJob(String ns, String name) {
    return send("GET", job(ns, name), null);
  }

  public void deleteJob(String ns, String name) {
    send("DELETE", job(ns, name), null);
  }

  public JsonNode suspend(String ns, String name, boolean suspend) {
    return send("POST", job(ns, name) + (suspend ? "/suspend" : "/resume"), null);
  }

  public JsonNode triggerRun(String ns, String name, String idempotencyKey) {
    return send("POST", job(ns, name) + "/runs", null, idempotencyKey);
  }

  /** Runs one fire of the job's schedule (a backfill); an existing run of it is returned. */
  public JsonNode runFire(String ns, String name, java.time.Instant fireTime) {
    return send("POST", job(ns, name) + "/runs", "{\"fireTime\": \"" + fireTime + "\"}");
  }

  public JsonNode retryRun(long id) {
    return send("POST", "/api/v1/runs/" + id + "/retry", null);
  }

  public JsonNode rerunTask(long id, String task, boolean downstream) {
    return send(
        "POST",
        "/api/v1/runs/" + id + "/tasks/" + enc(task) + "/rerun?downstream=" + downstream,
        null);
  }

  public JsonNode markTask(long id, String task, String state) {
    return send(
        "POST",
        "/api/v1/runs/" + id + "/tasks/" + enc(task) + "/mark",
        "{\"state\": \"" + state + "\"}");
  }

  public JsonNode listRuns(String ns, String name, String state, int limit) {
    List<String> q = new ArrayList<>();
    if (name != null) {
      q.add("job=" + enc(ns + "/" + name));
    }
    if (state != null) {
      q.add("state=" + enc(state));
    }
    q.add("limit=" + limit);
    return send("GET", "/api/v1/runs?" + String.join("&", q), null);
  }

  public JsonNode getRun(long id) {
    return send("GET", "/api/v1/runs/" + id, null);
  }

  public JsonNode runLogs(long id) {
    return send("GET", "/api/v1/runs/" + id + "/logs", null);
  }

  public JsonNode listPools() {
    return send("GET", "/api/v1/pools", null);
  }

  public JsonNode configurePool(String pool, JsonNode settings) {
    return send("PUT", "/api/v1/pools/" + enc(pool), settings.toString());
  }

  /** A page of alerts; null arguments are left out. */
  public JsonNode listAlerts(String job, Long run, String state, int limit) {
    StringBuilder q = new StringBuilder("/api/v1/alerts?limit=").append(limit);
    if (job != null) {
      q.append("&job=").append(enc(job));
    }
    if (run != null) {
      q.append("&run=").append(run);
    }
    if (state != null) {
      q.append("&state=").append(enc(state));
    }
    return send("GET", q.toString(), null);
  }

  /** A page of the audit log; null arguments are left out. */
  public JsonNode listAudit(String token, Long before, int limit) {
    StringBuilder q = new StringBuilder("/api/v1/audit?limit=").append(limit);
    if (token != null) {
      q.append("&token=").append(enc(token));
    }
    if (before != null) {
      q.append("&before=").append(before);
    }
    return send("GET", q.toString(), null);
  }

  public JsonNode listTokens() {
    return send("GET", "/api/v1/tokens", null);
  }

  /**
   * Creates a token; the answer holds its secret, shown this once.
   *
   * @param limits optional limits: {@code namespaces}, {@code pools}, {@code clusters} (lists) and
   *     {@code expiresIn} (a duration); empty or null ones are left out
   */
  public JsonNode createToken(String name, String role, java.util.Map<String, Object> limits) {
    var body = JSON.createObjectNode().put("name", name).put("role", role);
    limits.forEach((k, v) -> {
      if (v instanceof java.util.List<?> list && !list.isEmpty()) {
        var array = body.putArray(k);
        list.forEach(item -> array.add(String.valueOf(item)));
      } else if (v instanceof String text) {
        body.put(k, text);
      }
    });
    return send("POST", "/api/v1/tokens", body.toString());
  }

  /** A new secret for the tokens of this name; the answer holds it, shown this once. */
  public JsonNode rotateToken(String name) {
    return send("POST", "/api/v1/tokens/" + enc(name) + "/rotate", null);
  }

  public void revokeToken(String name) {
    send("DELETE", "/api/v1/tokens/" + enc(name), null);
  }

  public JsonNode listWorkers() {
    return send("GET", "/api/v1/workers", null);
  }

  public JsonNode cancelRun(long id) {
    return send("POST", "/api/v1/runs/" + id + "/cancel", null);
  }

  private static String job(String ns, String name) {
    return "/api/v1/jobs/" + enc(ns) + "/" + enc(name);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private JsonNode send(String method, String path, String body) {
    return send(method, path, body, null);
  }

  private JsonNode send(String method, String path, String body, String idempotencyKey) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(60))
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    if (idempotencyKey != null) {
      b.header("Idempotency-Key", idempotencyKey);
    }
    HttpResponse<String> r;
    try {
      r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (ConnectException | HttpConnectTimeoutException e) {
      throw new ApiException(
          0,
          "cannot reach the Kairos server at "
              + base
              + " (is it running? start it with ./kairos up)",
          List.of());
    } catch (IOException e) {
      String tls = ClientTls.explain(e, base, CaCertOption.HINT);
      throw new ApiException(
          0, tls != null ? tls : "request to " + base + " failed: " + e.getMessage(), List.of());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException(0, "interrupted", List.of());
    }
    JsonNode json = parse(r.body());
    if (r.statusCode() >= 400) {
      throw problem(r.statusCode(), json);
    }
    return json;
  }

  private static JsonNode parse(String body) {
    if (body == null || body.isBlank()) {
      return JSON.nullNode();
    }
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      return JSON.getNodeFactory().textNode(body);
    }
  }

  private static ApiException problem(int status, JsonNode json) {
    if (status == 401) {
      return new ApiException(
          401,
          "the server rejected the token (use --token or KAIROS_TOKEN, or the admin.token file in the state dir)",
          List.of());
    }
    String detail = json.path("detail").asText("HTTP " + status);
    List<String> errors = new ArrayList<>();
    for (JsonNode e : json.path("errors")) {
      String value =
          e.path("value").isNull() || e.path("value").isMissingNode()
              ? null
              : e.path("value").asText();
      errors.add(
          e.path("path").asText()
              + ": "
              + (value == null ? "" : "\"" + value + "\": ")
              + e.path("message").asText());
    }
    if (errors.size() == 1 && detail.equals(errors.get(0))) {
      errors.clear();
    } else if (errors.size() > 1) {
      detail = json.path("title").asText("invalid input") + " (" + errors.size() + " problems)";
    }
    return new ApiException(status, detail, errors);
  }
}
