package dev.kairos.server.metrics;

import dev.kairos.store.ActiveRuns;
import dev.kairos.store.PoolBacklog;
import dev.kairos.store.Store;
import dev.kairos.store.WorkerRecord;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Gauges read from the store: the queue's backlog and oldest wait per pool and cluster, live
 * workers per pool, cluster and state, active and held runs. Every replica reports the same values
 * (aggregate them with {@code max}). They are read when scraped, at most once per {@code refresh},
 * so that several Prometheus servers scraping several replicas cost the database a few cheap
 * queries a second at most.
 */
public final class StoreGauges {
  /** The cluster label of attempts whose runs may run in any cluster (no placement.clusters). */
  static final String ANY_CLUSTER = "any";

  private final Store store;
  private final Clock clock;
  private final Duration liveness;
  private final Duration refresh;
  private final MultiGauge backlog;
  private final MultiGauge oldestWait;
  private final MultiGauge workers;
  private final AtomicLong working = new AtomicLong();
  private final AtomicLong held = new AtomicLong();
  private Instant readAt;

  /**
   * @param liveness a worker heard from within this long is live (the lease)
   * @param refresh how long a reading is reused
   */
  public StoreGauges(
      Store store, Clock clock, Duration liveness, Duration refresh, MeterRegistry registry) {
    this.store = store;
    this.clock = clock;
    this.liveness = liveness;
    this.refresh = refresh;
    this.backlog =
        MultiGauge.builder("kairos.queue.backlog")
            .description("Attempts due and not yet claimed, per pool and cluster")
            .register(registry);
    this.oldestWait =
        MultiGauge.builder("kairos.queue.oldest.wait")
            .description(
                "How long the longest-waiting due attempt has waited, per pool and cluster")
            .baseUnit("seconds")
            .register(registry);
    this.workers =
        MultiGauge.builder("kairos.workers")
            .description("Live workers per pool, cluster and state (idle: no attempt running)")
            .register(registry);
    Gauge.builder("kairos.runs.active", working, AtomicLong::get)
        .description("Runs with an attempt queued or running")
        .register(registry);
    Gauge.builder("kairos.runs.held", held, AtomicLong::get)
        .description("Runs held back by their job's maxActiveRuns")
        .register(registry);
  }

  /** Reads the store again if the last reading is older than the refresh interval. */
  public synchronized void refreshIfStale() {
    Instant now = clock.instant();
    if (readAt != null && Duration.between(readAt, now).compareTo(refresh) < 0) {
      return;
    }
    readAt = now;
    List<WorkerRecord> live = store.liveWorkers(now.minus(liveness));
    // a pool and cluster with live workers and nothing queued shows 0, not a missing series
    Map<Tags, Long> queued = new LinkedHashMap<>();
    Map<Tags, Double> waited = new LinkedHashMap<>();
    for (WorkerRecord w : live) {
      Tags tags = Tags.of("pool", w.info().pool(), "cluster", w.info().cluster());
      queued.put(tags, 0L);
      waited.put(tags, 0.0);
    }
    for (PoolBacklog b : store.backlog(now)) {
      String cluster = b.cluster() == null ? ANY_CLUSTER : b.cluster();
      Tags tags = Tags.of("pool", b.pool(), "cluster", cluster);
      queued.put(tags, b.queued());
      waited.put(tags, Math.max(0, Duration.between(b.oldestDue(), now).toMillis()) / 1e3);
    }
    backlog.register(rows(queued), true);
    oldestWait.register(rows(waited), true);
    Map<Tags, Long> byState = new LinkedHashMap<>();
    for (WorkerRecord w : live) {
      Tags tags =
          Tags.of(
              "pool", w.info().pool(),
              "cluster", w.info().cluster(),
              "state", w.running() > 0 ? "busy" : "idle");
      byState.merge(tags, 1L, Long::sum);
    }
    workers.register(rows(byState), true);
    ActiveRuns runs = store.activeRuns();
    working.set(runs.working());
    held.set(runs.held());
  }

  private static List<MultiGauge.Row<?>> rows(Map<Tags, ? extends Number> values) {
    List<MultiGauge.Row<?>> rows = new ArrayList<>(values.size());
    values.forEach((tags, value) -> rows.add(MultiGauge.Row.of(tags, value)));
    return rows;
  }
}
