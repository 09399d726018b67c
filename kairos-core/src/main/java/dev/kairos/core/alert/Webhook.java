package dev.kairos.core.alert;

import java.net.URI;
import java.util.EnumSet;
import java.util.Set;

/**
 * Where alerts of a job go.
 *
 * @param url an http or https URL that takes a POST
 * @param format the body: {@code json} (every field) or {@code slack} (a Slack incoming-webhook
 *     message: {@code {"text": ...}})
 * @param on the kinds of alert sent there; default all
 */
public record Webhook(URI url, Format format, Set<AlertKind> on) {
  public enum Format {
    JSON,
    SLACK
  }

  public Webhook {
    on = on.isEmpty() ? EnumSet.allOf(AlertKind.class) : EnumSet.copyOf(on);
  }
}
