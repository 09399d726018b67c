package dev.kairos.core.alert;

import java.time.Duration;
import java.util.List;

/**
 * A job's {@code spec.alerts}.
 *
 * <pre>
 * alerts:
 *   sla: 30m                                  # a run still going after 30 minutes: slaExceeded
 *   webhooks:
 *     - url: https://hooks.slack.com/services/T000/B000/XXX
 *       format: slack
 *       on: [runFailed, slaExceeded]
 *     - url: https://ops.example.com/kairos   # json, every kind
 * </pre>
 *
 * @param sla how long a run may take before an {@link AlertKind#SLA_EXCEEDED} alert; null = none
 * @param webhooks where alerts go; empty = the server's default webhooks ({@code --alert-webhook})
 */
public record Alerts(Duration sla, List<Webhook> webhooks) {
  public static final Alerts NONE = new Alerts(null, List.of());

  public Alerts {
    webhooks = List.copyOf(webhooks);
  }
}
