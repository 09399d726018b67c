package dev.kairos.server.alerts;

import dev.kairos.core.alert.AlertKind;
import dev.kairos.core.alert.Webhook;
import dev.kairos.core.predict.RunForecast;
import dev.kairos.core.spec.JobManifest;
import dev.kairos.server.isolation.Isolation;
import dev.kairos.server.loop.BackgroundLoop;
import dev.kairos.server.loop.Signal;
import dev.kairos.server.predict.RunForecasts;
import dev.kairos.store.AlertRecord;
import dev.kairos.store.RunRecord;
import dev.kairos.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Raises and delivers alerts, every second on every replica (the store hands each event and each
 * delivery to one replica): turns recorded events into deliveries, looks for runs past their SLA
 * every {@value #SLA_EVERY_SECONDS} seconds and for runs predicted to miss their deadline every
 * round, and sends the deliveries that are due. A failed delivery is tried again after 1 s,
 * doubling up to 5 min, {@value #MAX_ATTEMPTS} times in all.
 *
 * <p>An event that cannot be turned into deliveries, or a run whose forecast cannot be made, for a
 * reason that will not pass, is set aside (see {@link Isolation}) and the rest go on.
 */
public final class AlertDuty extends BackgroundLoop {
  private static final Logger log = LoggerFactory.getLogger(AlertDuty.class);
  static final int MAX_ATTEMPTS = 10;
  private static final int SLA_EVERY_SECONDS = 5;
  private static final int BATCH = 50;

  /** Long enough for a batch of sends with their 10 s timeouts, in parallel. */
  private static final Duration SEND_LEASE = Duration.ofSeconds(60);

  private final Store store;
  private final Clock clock;
  private final AlertSettings settings;
  private final WebhookSender sender;
  private final Isolation isolation;
  private Instant slaCheckedAt = Instant.MIN;

  /** Runs whose forecast failed for good: not looked at again while they are active. */
  private final Set<Long> unforecastable = new HashSet<>();

  public AlertDuty(
      Store store, Clock clock, AlertSettings settings, WebhookSender sender, Isolation isolation) {
    super("alerts", new Signal());
    this.isolation = isolation;
    this.store = store;
    this.clock = clock;
    this.settings = settings;
    this.sender = sender;
  }

  @Override
  protected long runOnce() throws InterruptedException {
    Instant now = clock.instant();
    if (Duration.between(slaCheckedAt, now).toSeconds() >= SLA_EVERY_SECONDS) {
      slaCheckedAt = now;
      store.findRunsPastSla(now);
    }
    // every round: a deadline may be minutes away, and the warning must come before it
    deadlines(now);
    List<Webhook> defaults = settings.defaultWebhooks();
    int raised =
        isolation.run(
            "alerts",
            () -> store.raiseAlerts(now, 500, defaults),
            () -> store.pendingAlertEvents(500),
            id -> store.raiseAlert(id, now, defaults),
            (id, reason) -> store.setAsideAlertEvent(id),
            0,
            Integer::sum);
    List<AlertRecord> due = store.claimAlerts(clock.instant(), BATCH, SEND_LEASE);
    deliver(due);
    return raised >= 500 || due.size() == BATCH ? 0 : 1_000;
  }

  /**
   * Raises slaAtRisk for each active run of a job with a deadline whose predicted finish (along its
   * critical path, from its tasks' history) is past the deadline while the deadline has not passed:
   * the warning comes before the deadline is missed.
   */
  private void deadlines(Instant now) {
    List<RunRecord> runs = store.runsWithDeadlines();
    unforecastable.retainAll(runs.stream().map(RunRecord::id).toList());
    for (RunRecord run : runs) {
      if (unforecastable.contains(run.id())) {
        continue;
      }
      try {
        deadline(run, now);
      } catch (RuntimeException e) {
        if (Isolation.isTransient(e)) {
          throw e;
        }
        unforecastable.add(run.id());
        isolation.setAside("alerts", "deadline of run " + run.id(), e);
      }
    }
  }

  private void deadline(RunRecord run, Instant now) {
    JobManifest job = store.jobVersion(run.job(), run.jobVersion()).orElse(null);
    if (job == null || job.spec().deadline() == null) {
      return;
    }
    Instant start = run.fireTime() != null ? run.fireTime() : run.createdAt();
    Instant deadline = job.spec().deadline().of(start, job.spec().timeZone());
    if (!now.isBefore(deadline)) {
      return;
    }
    RunForecast forecast =
        RunForecasts.of(store, run, job.spec().tasks(), store.attemptsOf(run.id()), now);
    if (forecast.finish() != null && forecast.finish().isAfter(deadline)) {
      store.raiseRunEvent(
          run.id(),
          AlertKind.SLA_AT_RISK,
          "predicted to finish at " + forecast.finish() + ", after its deadline " + deadline,
          now);
    }
  }

  private void deliver(List<AlertRecord> due) throws InterruptedException {
    if (due.isEmpty()) {
      return;
    }
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> sends = new ArrayList<>();
      for (AlertRecord a : due) {
        sends.add(
            pool.submit(() -> {
              deliver(a);
              return null;
            }));
      }
      for (Future<?> f : sends) {
        try {
          f.get();
        } catch (java.util.concurrent.ExecutionException e) {
          log.error("alert delivery failed unexpectedly", e.getCause());
        }
      }
    }
  }

  private void deliver(AlertRecord a) throws InterruptedException {
    String error = sender.send(a);
    Instant now = clock.instant();
    if (error == null) {
      store.alertDelivered(a.id(), now);
      log.info(
          "alert delivered alert={} kind={} run={} job={}/{}",
          a.id(),
          a.kind().specName(),
          a.runId(),
          a.namespace(),
          a.job());
      return;
    }
    Instant retryAt = a.attempts() >= MAX_ATTEMPTS ? null : now.plus(backoff(a.attempts()));
    store.alertFailed(a.id(), error, retryAt);
    log.warn(
        "alert not delivered alert={} kind={} run={} attempt={} error={}{}",
        a.id(),
        a.kind().specName(),
        a.runId(),
        a.attempts(),
        error,
        retryAt == null ? " (giving up)" : "");
  }

  /** 1 s after the first try, doubling up to 5 minutes. */
  static Duration backoff(int attempts) {
    long seconds = 1L << Math.min(attempts - 1, 9);
    return Duration.ofSeconds(Math.min(seconds, 300));
  }
}
