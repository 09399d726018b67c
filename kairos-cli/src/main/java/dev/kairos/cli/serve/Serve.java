package dev.kairos.cli.serve;

import dev.kairos.core.alert.Webhook;
import dev.kairos.core.spec.Durations;
import dev.kairos.server.KairosServer;
import dev.kairos.server.ServerConfig;
import dev.kairos.server.alerts.AlertSettings;
import dev.kairos.server.auth.Tokens;
import dev.kairos.store.Store;
import dev.kairos.store.StoreConfig;
import dev.kairos.store.StoreFactory;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Starts a server replica from {@link ServeOptions}: the part {@code up} and {@code server} share.
 */
public final class Serve {
  private Serve() {}

  private static Duration positive(String flag, String text) {
    Duration d = Durations.parse(text);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(flag + " " + text + " must be positive");
    }
    return d;
  }

  /** {@code --alert-webhook [slack:]URL}, checked as a job's webhooks are. */
  static List<Webhook> webhooks(ServeOptions options) {
    List<Webhook> hooks = new ArrayList<>();
    for (String raw : options.alertWebhooks) {
      boolean slack = raw.startsWith("slack:");
      String url = slack ? raw.substring("slack:".length()) : raw;
      URI uri;
      try {
        uri = new URI(url);
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException("--alert-webhook " + raw + ": not a URL");
      }
      if (uri.getHost() == null
          || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
        throw new IllegalArgumentException(
            "--alert-webhook " + raw + ": must be an absolute http or https URL");
      }
      hooks.add(new Webhook(uri, slack ? Webhook.Format.SLACK : Webhook.Format.JSON, Set.of()));
    }
    return hooks;
  }

  /** Opens the store and starts the server; the caller owns both and closes them. */
  public static Running start(ServeOptions options) throws IOException {
    Path stateDir = options.stateDir.toAbsolutePath().normalize();
    Files.createDirectories(stateDir);
    Duration lease = Durations.parse(options.lease);
    Duration heartbeat =
        options.heartbeat == null ? lease.dividedBy(3) : Durations.parse(options.heartbeat);
    if (heartbeat.isZero() || heartbeat.isNegative() || heartbeat.compareTo(lease) >= 0) {
      throw new IllegalArgumentException(
          "--heartbeat "
              + Durations.format(heartbeat)
              + " must be greater than 0 and shorter than --lease "
              + Durations.format(lease));
    }
    Duration fireAhead = Durations.parse(options.fireAhead);
    if (fireAhead.isNegative() || fireAhead.compareTo(Duration.ofMinutes(5)) > 0) {
      throw new IllegalArgumentException(
          "--fire-ahead " + options.fireAhead + " must be between 0s and 5m");
    }
    StoreConfig storeConfig =
        options.db == null || options.db.isBlank()
            ? StoreConfig.sqlite(stateDir)
            : new StoreConfig(options.db, 10);
    Store store = StoreFactory.open(storeConfig);
    ServerConfig config =
        ServerConfig.defaults(stateDir)
            .withHost(options.host)
            .withPort(options.port)
            .withLease(lease, heartbeat)
            .withFireAhead(fireAhead)
            .withAlerts(new AlertSettings(webhooks(options), options.alertSigningKeyFile))
            .withEventDedupWindow(positive("--event-dedup-window", options.eventDedupWindow))
            .withEventSources(options.eventsFrom);
    KairosServer server = new KairosServer(config, store, Clock.systemUTC());
    try {
      server.start();
    } catch (IOException | RuntimeException e) {
      server.close();
      store.close();
      throw e;
    }
    Tokens.writeOwnerOnly(stateDir.resolve("server.url"), server.url() + "\n");
    return new Running(server, store, storeConfig, config);
  }

  /** A started server with its store. */
  public record Running(
      KairosServer server, Store store, StoreConfig storeConfig, ServerConfig config) {
    public void printBanner(PrintWriter out, String what) {
      out.println("Kairos " + what + " is up: " + server.url());
      out.println("  store:       " + storeConfig.describe());
      out.println("  admin token: " + server.adminTokenFile() + "  (mode 0600)");
      out.println("  use it:      export KAIROS_TOKEN=$(cat " + server.adminTokenFile() + ")");
      out.println("  try:         ./kairos apply -f examples/hello.yaml && ./kairos runs hello");
      out.println("Stop with Ctrl+C.");
      out.flush();
    }

    public void close() {
      server.close();
      store.close();
    }
  }
}
