package dev.kairos.server.metrics;

import dev.kairos.core.run.RunState;
import dev.kairos.store.AttemptEnd;
import dev.kairos.store.RunRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The metrics of one replica, in the Prometheus text format at {@code GET /metrics}.
 *
 * <p>Counters and histograms count what this replica did itself: the attempts whose end it recorded
 * (from any worker, or by reaping a lease), the fires its ticker made, the HTTP requests it served.
 * Each event is recorded by exactly one replica, so summing over replicas gives the cluster's
 * totals without double counting. Gauges read from the store ({@link StoreGauges}) show the same
 * value on every replica: aggregate those with {@code max}, not {@code sum}.
 */
public final class ServerMetrics implements AutoCloseable {
  /** Task durations from 50 ms to 6 h: a few buckets per decade keep the series count small. */
  private static final Duration[] TASK_BUCKETS = {
    Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
    Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10),
    Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(5),
    Duration.ofMinutes(10), Duration.ofMinutes(30), Duration.ofHours(1), Duration.ofHours(2),
    Duration.ofHours(6)
  };

  /** Fire delays from 5 ms (on time) to 5 min (far too late). */
  private static final Duration[] FIRE_BUCKETS = {
    Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
    Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
    Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
    Duration.ofMinutes(1), Duration.ofMinutes(5)
  };

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final LabelBudget labels;
  private final JvmGcMetrics gc = new JvmGcMetrics();
  private final Timer fireDelay;

  public ServerMetrics(LabelBudget labels) {
    this.labels = labels;
    new ClassLoaderMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    this.fireDelay =
        Timer.builder("kairos.fire.delay")
            .description(
                "How late this replica created the run of a schedule fire, after the fire time"
                    + " (0 for runs fired ahead)")
            .serviceLevelObjectives(FIRE_BUCKETS)
            .register(registry);
  }

  /** The registry, for meters registered elsewhere ({@link StoreGauges}, HTTP requests). */
  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** Counts and times attempts whose end this replica recorded. */
  public void ended(List<AttemptEnd> ended) {
    for (AttemptEnd e : ended) {
      String job = labels.job(e.namespace(), e.job());
      String task = labels.task(e.namespace(), e.job(), e.task());
      Counter.builder("kairos.tasks")
          .description("Attempts ended, by the state they ended in")
          .tags("namespace", e.namespace(), "job", job, "task", task, "status", e.state().name())
          .register(registry)
          .increment();
      Timer.builder("kairos.task.duration")
          .description("How long attempts ran, from their start to their end")
          .tags("namespace", e.namespace(), "job", job, "task", task)
          .serviceLevelObjectives(TASK_BUCKETS)
          .register(registry)
          .record(e.ran());
    }
  }

  /** Records the fire delay of runs this replica's ticker created, and counts missed fires. */
  public void fired(List<RunRecord> created) {
    for (RunRecord r : created) {
      if (r.fireTime() == null) {
        continue;
      }
      if (r.state() == RunState.MISSED) {
        Counter.builder("kairos.fires.missed")
            .description("Fires recorded as missed (later than startingDeadlineSeconds)")
            .tags(
                "namespace",
                r.job().namespace(),
                "job",
                labels.job(r.job().namespace(), r.job().name()))
            .register(registry)
            .increment();
        continue;
      }
      long late = Duration.between(r.fireTime(), r.createdAt()).toNanos();
      fireDelay.record(Math.max(0, late), TimeUnit.NANOSECONDS);
    }
  }

  /** The Prometheus text exposition of every meter. */
  public String scrape() {
    return registry.scrape();
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}
