package dev.kairos.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kairos.core.protocol.WorkerProtocol;
import dev.kairos.server.alerts.AlertDuty;
import dev.kairos.server.alerts.SigningKey;
import dev.kairos.server.alerts.WebhookSender;
import dev.kairos.server.api.AlertsApi;
import dev.kairos.server.api.ApiJson;
import dev.kairos.server.api.ApiServer;
import dev.kairos.server.api.AuditApi;
import dev.kairos.server.api.EventsApi;
import dev.kairos.server.api.JobsApi;
import dev.kairos.server.api.PoolsApi;
import dev.kairos.server.api.RunsApi;
import dev.kairos.server.api.TokensApi;
import dev.kairos.server.api.WorkerApi;
import dev.kairos.server.audit.AuditTrail;
import dev.kairos.server.auth.TokenAuthenticator;
import dev.kairos.server.auth.Tokens;
import dev.kairos.server.auth.WorkerCredentials;
import dev.kairos.server.dispatch.Dispatcher;
import dev.kairos.server.events.BrokerSource;
import dev.kairos.server.isolation.Isolation;
import dev.kairos.server.jobs.JobService;
import dev.kairos.server.loop.Signal;
import dev.kairos.server.metrics.LabelBudget;
import dev.kairos.server.metrics.MetricsApi;
import dev.kairos.server.metrics.ServerMetrics;
import dev.kairos.server.metrics.StoreGauges;
import dev.kairos.server.pools.HeldRunReleaser;
import dev.kairos.server.pools.PoolStatus;
import dev.kairos.server.pools.WorkerPruner;
import dev.kairos.server.reaper.LeaseReaper;
import dev.kairos.server.retention.RetentionPruner;
import dev.kairos.server.ticker.SchedulePlanner;
import dev.kairos.server.ticker.TriggerTicker;
import dev.kairos.server.ui.UiRoutes;
import dev.kairos.store.Store;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One server replica: the composition root that wires the store, the background duties (trigger
 * ticker, lease reaper, retention), the dispatcher and the HTTP API by hand. Stateless apart from
 * the store: any number can run against one PostgreSQL database.
 */
public final class KairosServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(KairosServer.class);

  private final ServerConfig config;
  private final Store store;
  private final Clock clock;
  private final Dispatcher dispatcher;
  private final JobService jobs;
  private final TriggerTicker ticker;
  private final LeaseReaper reaper;
  private final HeldRunReleaser heldRuns;
  private final WorkerPruner workerPruner;
  private final RetentionPruner retention;
  private AlertDuty alerts;
  private final List<BrokerSource> brokers = new java.util.ArrayList<>();
  private final Signal queuedSignal;
  private final ApiServer api;
  private final ServerMetrics metrics;
  private final Isolation isolation;
  private int port = -1;
  private Path adminTokenFile;

  public KairosServer(ServerConfig config, Store store, Clock clock) {
    this.config = config;
    this.store = store;
    this.clock = clock;
    RandomGenerator random = RandomGenerator.of("L64X128MixRandom");
    Signal queued = new Signal();
    this.queuedSignal = queued;
    Signal jobsChanged = new Signal();
    ObjectMapper mapper = ApiJson.mapper();
    this.metrics = new ServerMetrics(LabelBudget.defaults());
    this.isolation = new Isolation(metrics.registry());
    this.dispatcher =
        new Dispatcher(
            store,
            clock,
            queued,
            config.leaseTerms(),
            config.maxClaimBatch(),
            config.claimAhead(),
            random,
            metrics::ended,
            isolation);
    this.jobs = new JobService(store, clock, jobsChanged, queued);
    this.ticker =
        new TriggerTicker(
            store,
            clock,
            new SchedulePlanner(),
            config.tickerMaxSleep(),
            config.fireAhead(),
            config.claimAhead(),
            jobsChanged,
            queued,
            metrics::fired,
            isolation);
    this.reaper =
        new LeaseReaper(
            store,
            clock,
            config.reaperInterval(),
            config.lease(),
            random,
            queued,
            metrics::ended,
            isolation);
    this.heldRuns = new HeldRunReleaser(store, clock, Duration.ofSeconds(1), queued, isolation);
    this.workerPruner = new WorkerPruner(store, clock, Duration.ofDays(1));
    this.retention =
        config.retention() == null
            ? null
            : new RetentionPruner(
                store,
                clock,
                config.retention(),
                config.eventDedupWindow(),
                config.retentionInterval(),
                isolation,
                metrics.registry());
    PoolStatus pools = new PoolStatus(store, clock, config.lease());
    this.api =
        new ApiServer(
            config.drainTimeout(),
            config.tls(),
            mapper,
            new TokenAuthenticator(store, clock, metrics.registry()),
            new MetricsApi(
                metrics,
                new StoreGauges(
                    store, clock, config.lease(), Duration.ofSeconds(5), metrics.registry())),
            new AuditTrail(store, clock),
            List.of(
                new JobsApi(jobs, store, mapper),
                new RunsApi(store, clock, pools, mapper),
                new PoolsApi(store, clock, pools),
                new AuditApi(store),
                new TokensApi(store, clock),
                new AlertsApi(store),
                new EventsApi(store, clock, queued),
                new WorkerApi(dispatcher, new WorkerCredentials(store, clock)),
                new UiRoutes()));
  }

  /** Creates the admin token if needed, starts the duties and the API. */
  public void start() throws IOException {
    adminTokenFile = Tokens.ensureLocalTokens(config.stateDir(), store, clock.instant());
    ticker.start();
    reaper.start();
    heldRuns.start();
    workerPruner.start();
    if (retention != null) {
      retention.start();
    }
    port = api.start(config.host(), config.port());
    byte[] key = SigningKey.load(config.alerts().signingKeyFile(), config.stateDir());
    alerts =
        new AlertDuty(
            store, clock, config.alerts(), new WebhookSender(key, clock, url()), isolation);
    alerts.start();
    for (String uri : config.eventSources()) {
      BrokerSource source = BrokerSource.of(uri, store, clock, queuedSignal, isolation);
      try {
        source.start();
      } catch (Exception e) {
        throw new IOException(
            "--events-from " + BrokerSource.redact(uri) + ": cannot consume: " + e.getMessage(), e);
      }
      brokers.add(source);
      log.info("consuming events from={}", BrokerSource.redact(uri));
    }
    log.info("kairos server listening url={}", url());
  }

  /** The API's base URL, e.g. {@code http://127.0.0.1:7070}, or {@code https://} with TLS. */
  public String url() {
    String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
    return (config.tls() == null ? "http://" : "https://") + host + ":" + port;
  }

  public int port() {
    return port;
  }

  public Path adminTokenFile() {
    return adminTokenFile;
  }

  /** The worker protocol in process, for the local worker of {@code kairos up}. */
  public WorkerProtocol workerProtocol() {
    return dispatcher;
  }

  /** Completions this replica recorded since it started (local and remote workers alike). */
  public long acceptedCompletions() {
    return dispatcher.acceptedCompletions();
  }

  public JobService jobs() {
    return jobs;
  }

  public Store store() {
    return store;
  }

  /** HTTP requests being handled now. */
  /** Every HTTP route, {@code "METHOD /template"} (for the test that checks each role on each). */
  public List<String> routes() {
    return api.routes();
  }

  public int requestsInFlight() {
    return api.requestsInFlight();
  }

  /**
   * Stops gracefully: no new HTTP requests, waiting long polls answered at once with no work, the
   * requests in flight given up to {@code drainTimeout} to finish; then the duties. Does not close
   * the store.
   */
  @Override
  public void close() {
    log.info("kairos server stopping, draining HTTP requests timeout={}", config.drainTimeout());
    dispatcher.drain();
    for (BrokerSource b : brokers) {
      try {
        b.close();
      } catch (Exception e) {
        log.warn("closing an event source failed: {}", e.toString());
      }
    }
    api.stop();
    ticker.stop();
    reaper.stop();
    heldRuns.stop();
    workerPruner.stop();
    if (retention != null) {
      retention.stop();
    }
    if (alerts != null) {
      alerts.stop();
    }
    metrics.close();
    log.info("kairos server stopped");
  }
}
