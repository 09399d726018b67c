package dev.kairos.core.spec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kairos.core.alert.AlertKind;
import dev.kairos.core.alert.Alerts;
import dev.kairos.core.alert.Webhook;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Reads {@code spec.alerts} (see {@link Alerts}); problems go to the manifest's reader. */
final class AlertsReader {
  static final Set<String> ALERTS = new LinkedHashSet<>(List.of("sla", "webhooks"));
  static final Set<String> WEBHOOK = new LinkedHashSet<>(List.of("url", "format", "on"));
  private static final int MAX_WEBHOOKS = 10;

  private final NodeReader r;

  AlertsReader(NodeReader r) {
    this.r = r;
  }

  Alerts read(JsonNode node) {
    String path = "spec.alerts";
    if (node == null || node.isNull() || !r.object(node, path, ALERTS)) {
      return Alerts.NONE;
    }
    Duration sla = r.duration(node, "sla", path);
    List<Webhook> webhooks = new ArrayList<>();
    JsonNode list = node.get("webhooks");
    if (list != null && !list.isNull()) {
      if (!list.isArray()) {
        r.error(path + ".webhooks", list, "must be a list of {url, format, on}");
      } else if (list.size() > MAX_WEBHOOKS) {
        r.error(path + ".webhooks", String.valueOf(list.size()), "at most " + MAX_WEBHOOKS);
      } else {
        for (int i = 0; i < list.size(); i++) {
          Webhook w = webhook(list.get(i), path + ".webhooks[" + i + "]");
          if (w != null) {
            webhooks.add(w);
          }
        }
      }
    }
    return new Alerts(sla, webhooks);
  }

  private Webhook webhook(JsonNode node, String path) {
    if (!r.object(node, path, WEBHOOK)) {
      return null;
    }
    String url = r.string(node, "url", path, true);
    URI uri = null;
    if (url != null) {
      try {
        uri = new URI(url);
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
          r.error(path + ".url", url, "must be an absolute http or https URL");
          uri = null;
        }
      } catch (URISyntaxException e) {
        r.error(path + ".url", url, "is not a URL: " + e.getReason());
      }
    }
    Webhook.Format format = Webhook.Format.JSON;
    String f = r.string(node, "format", path, false);
    if (f != null) {
      try {
        format = Webhook.Format.valueOf(f.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        r.error(path + ".format", f, "must be json or slack");
      }
    }
    Set<AlertKind> on = EnumSet.noneOf(AlertKind.class);
    List<String> names = Arrays.stream(AlertKind.values()).map(AlertKind::specName).toList();
    for (String kind : r.stringList(node, "on", path)) {
      AlertKind k = AlertKind.bySpecName(kind).orElse(null);
      if (k == null) {
        String near = Spelling.closest(kind, names);
        r.error(
            path + ".on",
            kind,
            "unknown alert; allowed: "
                + String.join(", ", names)
                + (near == null ? "" : " (did you mean " + near + "?)"));
      } else {
        on.add(k);
      }
    }
    return uri == null ? null : new Webhook(uri, format, on);
  }
}
