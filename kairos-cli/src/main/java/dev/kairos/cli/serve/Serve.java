package dev.kairos.cli.serve;

import dev.kairos.cli.tls.TlsFiles;
import dev.kairos.core.alert.Webhook;
import dev.kairos.core.spec.Bounds;
import dev.kairos.core.spec.Durations;
import dev.kairos.core.tls.ServerIdentity;
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

  /** {@code --lease}: long enough to outlast a pause, short enough to notice a dead worker. */
  static final Duration LEASE_MIN = Duration.ofSeconds(1);

  static final Duration LEASE_MAX = Duration.ofHours(1);

  /** {@code --heartbeat}: and shorter than the lease. */
  static final Duration HEARTBEAT_MIN = Duration.ofMillis(100);

  static final Duration FIRE_AHEAD_MAX = Duration.ofMinutes(5);

  /**
   * {@code --retention}: at least an hour (a run must outlive the look at it after it ended), at
   * most ten years.
   */
  static final Duration RETENTION_MIN = Duration.ofHours(1);

  static final Duration RETENTION_MAX = Duration.ofDays(3650);

  /** A duration flag within its range, or an error that names the flag, the value and the range. */
  static Duration duration(String flag, String text, Duration min, Duration max) {
    try {
      return Durations.parseWithin(text, min, max);
    } catch (IllegalArgumentException e) {
      throw new FlagException(
          flag
              + ": \""
              + text
              + "\": "
              + e.getMessage()
              + " (allowed: "
              + Durations.format(min)
              + " to "
              + Durations.format(max)
              + ")");
    }
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
        throw new FlagException("--alert-webhook " + raw + ": not a URL");
      }
      if (uri.getHost() == null
          || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
        throw new FlagException(
            "--alert-webhook " + raw + ": must be an absolute http or https URL");
      }
      hooks.add(new Webhook(uri, slack ? Webhook.Format.SLACK : Webhook.Format.JSON, Set.of()));
    }
    return hooks;
  }

  /** {@code --tls-cert} and {@code --tls-key}, both or neither; null for neither (plain HTTP). */
  static ServerIdentity tls(ServeOptions options) {
    if (options.tlsCert == null && options.tlsKey == null) {
      return null;
    }
    if (options.tlsKey == null) {
      throw new FlagException(
          "--tls-cert needs --tls-key FILE as well: the private key of the certificate");
    }
    if (options.tlsCert == null) {
      throw new FlagException(
          "--tls-key needs --tls-cert FILE as well: the certificate (chain) of the key");
    }
    return TlsFiles.identity(options.tlsCert, options.tlsKey);
  }

  /** Opens the store and starts the server; the caller owns both and closes them. */
  public static Running start(ServeOptions options) throws IOException {
    Path stateDir = options.stateDir.toAbsolutePath().normalize();
    List<String> warnings = new ArrayList<>(StateFiles.prepareDirectory(stateDir));
    if (options.port < 0 || options.port > 65_535) {
      throw new FlagException(
          "--port: " + options.port + " is not a port; use 1 to 65535, or 0 for a free one");
    }
    Duration lease = duration("--lease", options.lease, LEASE_MIN, LEASE_MAX);
    Duration heartbeat =
        options.heartbeat == null
            ? lease.dividedBy(3)
            : duration("--heartbeat", options.heartbeat, HEARTBEAT_MIN, LEASE_MAX);
    if (heartbeat.compareTo(lease) >= 0) {
      throw new FlagException(
          "--heartbeat "
              + Durations.format(heartbeat)
              + " must be shorter than --lease "
              + Durations.format(lease));
    }
    Duration fireAhead = duration("--fire-ahead", options.fireAhead, Duration.ZERO, FIRE_AHEAD_MAX);
    Duration retention = duration("--retention", options.retention, RETENTION_MIN, RETENTION_MAX);
    Duration dedupWindow =
        duration(
            "--event-dedup-window",
            options.eventDedupWindow,
            Duration.ofSeconds(1),
            Bounds.LONGEST);
    if (dedupWindow.compareTo(retention) > 0) {
      throw new FlagException(
          "--event-dedup-window "
              + Durations.format(dedupWindow)
              + " must not be longer than --retention "
              + Durations.format(retention)
              + ": events are not kept longer than that");
    }
    ServerIdentity tls = tls(options);
    StoreConfig storeConfig =
        options.db == null || options.db.isBlank()
            ? StoreConfig.sqlite(stateDir)
            : new StoreConfig(options.db, 10);
    Path sqliteFile = storeConfig.isSqlite() ? stateDir.resolve("kairos.db") : null;
    if (sqliteFile != null) {
      StateFiles.createDatabase(sqliteFile);
    }
    Store store = StoreFactory.open(storeConfig);
    if (sqliteFile != null) {
      StateFiles.restrictDatabase(sqliteFile);
    }
    String exposure = StateFiles.exposureWarning(options.host, tls != null);
    if (exposure != null) {
      warnings.add(exposure);
    }
    ServerConfig config =
        ServerConfig.defaults(stateDir)
            .withHost(options.host)
            .withPort(options.port)
            .withLease(lease, heartbeat)
            .withFireAhead(fireAhead)
            .withAlerts(new AlertSettings(webhooks(options), options.alertSigningKeyFile))
            .withRetention(retention)
            .withEventDedupWindow(dedupWindow)
            .withEventSources(options.eventsFrom)
            .withTls(tls);
    KairosServer server = new KairosServer(config, store, Clock.systemUTC());
    try {
      server.start();
    } catch (IOException | RuntimeException e) {
      server.close();
      store.close();
      throw e;
    }
    Tokens.writeOwnerOnly(stateDir.resolve("server.url"), server.url() + "\n");
    return new Running(server, store, storeConfig, config, List.copyOf(warnings));
  }

  /** A flag with a bad value: one line naming it, and the usage exit code 2. */
  public static final class FlagException extends IllegalArgumentException {
    FlagException(String message) {
      super(message);
    }
  }

  /** A started server with its store. */
  public record Running(
      KairosServer server,
      Store store,
      StoreConfig storeConfig,
      ServerConfig config,
      List<String> warnings) {
    public void printBanner(PrintWriter out, String what) {
      out.println("Kairos " + what + " is up: " + server.url());
      warnings.forEach(w -> out.println("  warning:     " + w));
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
