package dev.kairos.server.alerts;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kairos.core.alert.AlertKind;
import dev.kairos.core.alert.Webhook;
import dev.kairos.core.protocol.RequestSignature;
import dev.kairos.store.AlertRecord;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;

/**
 * Sends one alert to its webhook: a JSON body ({@code json}: every field; {@code slack}: a Slack
 * message), signed with HMAC-SHA256 so that the receiver can check it came from this cluster and
 * was not replayed:
 *
 * <pre>
 * X-Kairos-Alert: runFailed
 * X-Kairos-Delivery: 42                  (the alert's id: the same on every retry)
 * X-Kairos-Timestamp: 1795989689         (epoch seconds)
 * X-Kairos-Signature: sha256=HEX(HMAC-SHA256(key, timestamp + "." + body))
 * </pre>
 */
public final class WebhookSender {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(TIMEOUT)
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();
  private final byte[] key;
  private final Clock clock;
  private final String serverUrl;

  /**
   * @param serverUrl this server's base URL, for links to the run in the alert
   */
  public WebhookSender(byte[] key, Clock clock, String serverUrl) {
    this.key = key.clone();
    this.clock = clock;
    this.serverUrl = serverUrl;
  }

  /** Null when the webhook answered 2xx; otherwise why not, for the alert's last error. */
  public String send(AlertRecord alert) throws InterruptedException {
    String body = body(alert);
    String timestamp = String.valueOf(clock.instant().getEpochSecond());
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(alert.url()))
            .timeout(TIMEOUT)
            .header("Content-Type", "application/json")
            .header("User-Agent", "kairos-alerts")
            .header("X-Kairos-Alert", alert.kind().specName())
            .header("X-Kairos-Delivery", String.valueOf(alert.id()))
            .header("X-Kairos-Timestamp", timestamp)
            .header("X-Kairos-Signature", RequestSignature.header(key, timestamp, body))
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
            .build();
    try {
      HttpResponse<Void> r = http.send(request, HttpResponse.BodyHandlers.discarding());
      return r.statusCode() / 100 == 2 ? null : "HTTP " + r.statusCode();
    } catch (IOException e) {
      return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
  }

  String body(AlertRecord a) {
    String runUrl = serverUrl + "/api/v1/runs/" + a.runId();
    if (a.format() == Webhook.Format.SLACK) {
      ObjectNode slack = JSON.createObjectNode();
      slack.put(
          "text",
          "*Kairos*: run <"
              + runUrl
              + "|"
              + a.runId()
              + "> of `"
              + a.namespace()
              + "/"
              + a.job()
              + "` "
              + headline(a.kind())
              + (a.detail() == null ? "" : ": " + a.detail()));
      return slack.toString();
    }
    ObjectNode json = JSON.createObjectNode();
    json.put("kind", a.kind().specName());
    json.put("namespace", a.namespace());
    json.put("job", a.job());
    json.put("run", a.runId());
    json.put("task", a.task());
    json.put("detail", a.detail());
    json.put("alertId", a.id());
    json.put("raisedAt", a.createdAt().toString());
    json.put("runUrl", runUrl);
    return json.toString();
  }

  private static String headline(AlertKind kind) {
    return switch (kind) {
      case RUN_FAILED -> "failed";
      case RETRIES_EXHAUSTED -> "ran out of retries";
      case SLA_EXCEEDED -> "is past its SLA";
      case FIRE_MISSED -> "missed its fire";
      case SLA_AT_RISK -> "is predicted to miss its deadline";
      case INTERNAL_ERROR -> "met an internal error and was set aside";
    };
  }
}
