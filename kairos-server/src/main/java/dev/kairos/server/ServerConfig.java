package dev.kairos.server;

import dev.kairos.core.protocol.LeaseTerms;
import dev.kairos.core.tls.ServerIdentity;
import dev.kairos.server.alerts.AlertSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Everything a server replica needs to know, with documented defaults. Built in one place (the CLI)
 * from flags and environment.
 *
 * @param host address the API binds to; default {@code 127.0.0.1} (loopback only, so a laptop
 *     install is never exposed by accident)
 * @param port API port; default 7070; 0 picks a free port
 * @param stateDir where the admin token (and, for SQLite, the database) live; default {@code
 *     ./.kairos}
 * @param lease how long a claimed attempt stays with its worker without a heartbeat; default 15s. A
 *     dead worker's attempts are retried this long after its last heartbeat; after the store was
 *     out of reach, a lease that lapsed meanwhile is given one more lease from its return.
 * @param heartbeatInterval how often workers renew leases; default 5s (a third of the lease, so two
 *     heartbeats may be lost before an attempt is presumed lost)
 * @param tickerMaxSleep the longest the trigger ticker sleeps when nothing is due; it is woken
 *     early when a job changes. Default 1s.
 * @param reaperInterval how often expired leases are looked for; default 1s
 * @param maxClaimBatch the most attempts one poll claims; default 512
 * @param fireAhead how long before their fire time the runs of jobs with concurrencyPolicy Allow
 *     are created; default 5s. They cannot start before their fire time, and suspending the job or
 *     changing its schedule removes them; creating them early is what lets thousands of jobs that
 *     share a fire time start on time. Zero creates every run at its fire time.
 * @param claimAhead how long before they are due attempts may be handed to a polling worker, which
 *     starts each when it is due; default 250ms. A schedule's runs made ahead (see {@code
 *     fireAhead}) then start on their fire time, instead of after the claims of all that falls due
 *     on the same second. The worker's slots hold them meanwhile.
 * @param drainTimeout on shutdown, how long HTTP requests in flight may take to finish once no new
 *     ones are accepted (waiting long polls are answered at once with no work); default 10s
 * @param retention how long ended runs (with their attempts and logs), alert deliveries that are
 *     over and audit entries are kept, whatever a job's {@code spec.history} says; default 30 days.
 *     Events are kept for {@code eventDedupWindow}, which must not be longer. Null keeps everything
 *     and runs no retention duty: for benchmarks that measure what the duty costs.
 * @param retentionInterval how long the retention duty waits after a round that left nothing to
 *     delete; default 1 minute (a job's runs past its history go within about that of their end)
 * @param alerts default webhooks and the signing key of alerts; default none, and a key made in the
 *     state directory
 * @param eventDedupWindow how long an event's source and id are remembered, so that the same event
 *     again starts nothing; default 24 hours
 * @param eventSources brokers to consume events from; default none
 * @param tls the certificate chain and private key the API is served with, over HTTPS only; null
 *     (the default) serves plain HTTP
 */
public record ServerConfig(
    String host,
    int port,
    Path stateDir,
    Duration lease,
    Duration heartbeatInterval,
    Duration tickerMaxSleep,
    Duration reaperInterval,
    int maxClaimBatch,
    Duration fireAhead,
    Duration claimAhead,
    Duration drainTimeout,
    Duration retention,
    Duration retentionInterval,
    AlertSettings alerts,
    Duration eventDedupWindow,
    List<String> eventSources,
    ServerIdentity tls) {

  public ServerConfig {
    eventSources = eventSources == null ? List.of() : List.copyOf(eventSources);
  }

  public static final int DEFAULT_PORT = 7070;

  /** How long ended runs and audit entries are kept by default. */
  public static final Duration DEFAULT_RETENTION = Duration.ofDays(30);

  public static ServerConfig defaults(Path stateDir) {
    return new ServerConfig(
        "127.0.0.1",
        DEFAULT_PORT,
        stateDir,
        Duration.ofSeconds(15),
        Duration.ofSeconds(5),
        Duration.ofSeconds(1),
        Duration.ofSeconds(1),
        512,
        Duration.ofSeconds(5),
        Duration.ofMillis(250),
        Duration.ofSeconds(10),
        DEFAULT_RETENTION,
        Duration.ofMinutes(1),
        AlertSettings.DEFAULTS,
        Duration.ofHours(24),
        List.of(),
        null);
  }

  public ServerConfig withPort(int newPort) {
    return change(b -> b.port = newPort);
  }

  public ServerConfig withHost(String newHost) {
    return change(b -> b.host = newHost);
  }

  public ServerConfig withLease(Duration newLease, Duration newHeartbeat) {
    return change(b -> {
      b.lease = newLease;
      b.heartbeatInterval = newHeartbeat;
    });
  }

  public ServerConfig withFireAhead(Duration newFireAhead) {
    return change(b -> b.fireAhead = newFireAhead);
  }

  public ServerConfig withAlerts(AlertSettings newAlerts) {
    return change(b -> b.alerts = newAlerts);
  }

  public ServerConfig withRetention(Duration newRetention) {
    return change(b -> b.retention = newRetention);
  }

  public ServerConfig withRetentionInterval(Duration interval) {
    return change(b -> b.retentionInterval = interval);
  }

  public ServerConfig withEventDedupWindow(Duration window) {
    return change(b -> b.eventDedupWindow = window);
  }

  public ServerConfig withEventSources(List<String> sources) {
    return change(b -> b.eventSources = sources);
  }

  public ServerConfig withTls(ServerIdentity identity) {
    return change(b -> b.tls = identity);
  }

  /** A copy with what {@code edit} changes: one place that lists every field. */
  private ServerConfig change(java.util.function.Consumer<Fields> edit) {
    Fields f = new Fields(this);
    edit.accept(f);
    return f.build();
  }

  /** The fields, mutable, for {@link #change}. */
  private static final class Fields {
    String host;
    int port;
    Path stateDir;
    Duration lease;
    Duration heartbeatInterval;
    Duration tickerMaxSleep;
    Duration reaperInterval;
    int maxClaimBatch;
    Duration fireAhead;
    Duration claimAhead;
    Duration drainTimeout;
    Duration retention;
    Duration retentionInterval;
    AlertSettings alerts;
    Duration eventDedupWindow;
    List<String> eventSources;
    ServerIdentity tls;

    Fields(ServerConfig c) {
      host = c.host;
      port = c.port;
      stateDir = c.stateDir;
      lease = c.lease;
      heartbeatInterval = c.heartbeatInterval;
      tickerMaxSleep = c.tickerMaxSleep;
      reaperInterval = c.reaperInterval;
      maxClaimBatch = c.maxClaimBatch;
      fireAhead = c.fireAhead;
      claimAhead = c.claimAhead;
      drainTimeout = c.drainTimeout;
      retention = c.retention;
      retentionInterval = c.retentionInterval;
      alerts = c.alerts;
      eventDedupWindow = c.eventDedupWindow;
      eventSources = c.eventSources;
      tls = c.tls;
    }

    ServerConfig build() {
      return new ServerConfig(
          host,
          port,
          stateDir,
          lease,
          heartbeatInterval,
          tickerMaxSleep,
          reaperInterval,
          maxClaimBatch,
          fireAhead,
          claimAhead,
          drainTimeout,
          retention,
          retentionInterval,
          alerts,
          eventDedupWindow,
          eventSources,
          tls);
    }
  }

  /** The lease and heartbeat interval, as workers are told them. */
  public LeaseTerms leaseTerms() {
    return new LeaseTerms(lease, heartbeatInterval);
  }
}
