package dev.kairos.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kairos.core.spec.JobManifest;
import dev.kairos.core.spec.JobManifestCodec;
import dev.kairos.core.tls.ClientTls;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;

/**
 * The REST API from Java, with an admin token: apply jobs, trigger runs, wait for their results.
 */
public final class KairosClient {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String base;
  private final String token;
  private final HttpClient http;

  private KairosClient(String base, String token, SSLContext tls) {
    this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    this.token = token;
    HttpClient.Builder http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
    if (tls != null) {
      http.sslContext(tls);
    }
    this.http = http.build();
  }

  public static KairosClient connect(String serverUrl, String adminToken) {
    return new KairosClient(serverUrl, adminToken, null);
  }

  /**
   * A client of an {@code https://} server whose certificate a CA in {@code caCertificates} (a PEM
   * file) signed; those CAs are trusted, and no others.
   */
  public static KairosClient connect(String serverUrl, String adminToken, Path caCertificates) {
    return new KairosClient(serverUrl, adminToken, CaCertificates.trusting(caCertificates));
  }

  /** Creates or updates the job; returns its version. */
  public long apply(JobManifest job) {
    return send("PUT", "/api/v1/jobs", JobManifestCodec.toJson(job)).at("/job/version").asLong();
  }

  /** Starts a run of {@code namespace/name} now; returns its id. */
  public long trigger(String namespace, String name) {
    return send("POST", "/api/v1/jobs/" + enc(namespace) + "/" + enc(name) + "/runs", null)
        .get("id")
        .asLong();
  }

  /**
   * Sends an event ({@code POST /api/v1/events}): the jobs subscribed to its type start, once per
   * source and id. Returns the ids of the runs it started (none for a duplicate).
   */
  public List<Long> sendEvent(String type, String source, String id, Map<String, ?> data) {
    com.fasterxml.jackson.databind.node.ObjectNode event = JSON.createObjectNode();
    event.put("specversion", "1.0").put("type", type).put("source", source).put("id", id);
    event.set("data", JSON.valueToTree(data));
    List<Long> runs = new java.util.ArrayList<>();
    send("POST", "/api/v1/events", event.toString())
        .path("runs")
        .forEach(r -> runs.add(r.get("id").asLong()));
    return runs;
  }

  /** Waits for a run to end and returns how it ended. */
  public RunResult await(long runId, Duration timeout)
      throws InterruptedException, TimeoutException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      JsonNode run = send("GET", "/api/v1/runs/" + runId, null);
      String state = run.get("state").asText();
      if (!state.equals("PENDING") && !state.equals("RUNNING")) {
        return result(run);
      }
      if (System.nanoTime() > deadline) {
        throw new TimeoutException("run " + runId + " is still " + state + " after " + timeout);
      }
      Thread.sleep(200);
    }
  }

  private static RunResult result(JsonNode run) {
    Map<String, String> tasks = new LinkedHashMap<>();
    run.path("tasks").forEach(t -> tasks.put(t.get("name").asText(), t.get("state").asText()));
    Map<String, Map<String, String>> outputs = new LinkedHashMap<>();
    run.path("attempts")
        .forEach(a -> {
          if (!a.path("cleared").asBoolean() && a.path("outputs").size() > 0) {
            Map<String, String> values = new LinkedHashMap<>();
            a.get("outputs")
                .properties()
                .forEach(e -> values.put(e.getKey(), e.getValue().asText()));
            outputs.put(a.get("task").asText(), values);
          }
        });
    return new RunResult(
        run.get("id").asLong(),
        run.get("state").asText(),
        run.get("reason").isNull() ? null : run.get("reason").asText(),
        tasks,
        outputs);
  }

  private JsonNode send(String method, String path, String body) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    try {
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      JsonNode json = r.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(r.body());
      if (r.statusCode() >= 400) {
        throw new KairosException(
            r.statusCode(), json.path("detail").asText("HTTP " + r.statusCode()));
      }
      return json;
    } catch (IOException e) {
      String tls =
          ClientTls.explain(
              e, base, "connect with KairosClient.connect(url, token, caCertificates)");
      throw new KairosException(
          0, tls != null ? tls : "request to " + base + " failed: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KairosException(0, "interrupted");
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /**
   * How a run ended.
   *
   * @param tasks each task's state (SUCCEEDED, FAILED, SKIPPED, UPSTREAM_FAILED, ...)
   * @param outputs what each task published
   */
  public record RunResult(
      long id,
      String state,
      String reason,
      Map<String, String> tasks,
      Map<String, Map<String, String>> outputs) {
    public boolean succeeded() {
      return state.equals("SUCCEEDED");
    }
  }

  /** The server refused a request (status 0: it could not be reached). */
  public static final class KairosException extends RuntimeException {
    private final int status;

    KairosException(int status, String message) {
      super(message);
      this.status = status;
    }

    public int status() {
      return status;
    }
  }
}
