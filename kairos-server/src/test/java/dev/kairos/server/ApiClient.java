package dev.kairos.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A tiny JSON client of the REST API for tests. */
public final class ApiClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private final String base;
  private final String token;

  public ApiClient(String base, String token) {
    this.base = base;
    this.token = token;
  }

  /** Status and JSON body of a response. */
  public record Response(int status, JsonNode body, String contentType) {}

  public Response call(String method, String path, String body, String... headers)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    JsonNode json = r.body().isBlank() ? JSON.nullNode() : JSON.readTree(r.body());
    return new Response(r.statusCode(), json, r.headers().firstValue("Content-Type").orElse(""));
  }

  public Response applyYaml(String yaml) throws Exception {
    return call("PUT", "/api/v1/jobs", yaml, "Content-Type", "application/yaml");
  }

  public JsonNode get(String path) throws Exception {
    Response r = call("GET", path, null);
    if (r.status() != 200) {
      throw new AssertionError("GET " + path + " -> " + r.status() + " " + r.body());
    }
    return r.body();
  }

  /** Triggers a run of {@code default/job} and waits (up to 20 s) until it has ended. */
  public long runToEnd(String job) throws Exception {
    long id = call("POST", "/api/v1/jobs/default/" + job + "/runs", null).body().get("id").asLong();
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> !get("/api/v1/runs/" + id).get("finishedAt").isNull());
    return id;
  }
}
