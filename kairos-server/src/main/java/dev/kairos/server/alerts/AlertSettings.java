package dev.kairos.server.alerts;

import dev.kairos.core.alert.Webhook;
import java.nio.file.Path;
import java.util.List;

/**
 * Server-wide alerting.
 *
 * @param defaultWebhooks where the alerts of jobs without webhooks of their own go ({@code
 *     --alert-webhook}); empty = nowhere
 * @param signingKeyFile the HMAC key that signs every webhook request ({@code
 *     --alert-signing-key-file}); null = {@code alert-signing.key} in the state directory, made on
 *     first start. Replicas must share it.
 */
public record AlertSettings(List<Webhook> defaultWebhooks, Path signingKeyFile) {
  public static final AlertSettings DEFAULTS = new AlertSettings(List.of(), null);

  public AlertSettings {
    defaultWebhooks = List.copyOf(defaultWebhooks);
  }
}
