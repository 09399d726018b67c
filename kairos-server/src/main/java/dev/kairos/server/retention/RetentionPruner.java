package dev.kairos.server.retention;

import dev.kairos.core.spec.JobKey;
import dev.kairos.server.isolation.Isolation;
import dev.kairos.server.loop.BackgroundLoop;
import dev.kairos.server.loop.Signal;
import dev.kairos.store.HistoryCut;
import dev.kairos.store.Pruned;
import dev.kairos.store.RetentionStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes what is no longer kept, off the hot path: every interval (a minute), and a batch at a
 * time while there is more (waiting four times as long between batches as the last one took, so
 * that it uses at most a fifth of one connection however much has piled up).
 *
 * <ul>
 *   <li>Each job's ended runs past its {@code spec.history}, with their attempts and logs. Which
 *       jobs are looked at, when, is {@link HistoryWatch}'s: those with a tenth of what they keep
 *       in new runs, and a sweep over every job.
 *   <li>Ended runs older than the retention, with their attempts and logs, whatever their job's
 *       history; alert deliveries that are over and audit entries older than it.
 *   <li>Events older than the dedup window (which is at most the retention).
 * </ul>
 *
 * A run is never deleted before it has ended. Each deleted row is counted in {@code
 * kairos_retention_deleted_total{table}}. A job whose history cannot be read, or a run that cannot
 * be deleted alone, for a reason that will not pass is set aside (see {@link Isolation}): counted,
 * logged, skipped for an hour, and the rest goes on.
 */
public final class RetentionPruner extends BackgroundLoop {
  private static final Logger log = LoggerFactory.getLogger(RetentionPruner.class);
  private static final String LOOP = "retention";

  /** Runs per batch, and rows per transaction: small enough not to hold up claims for long. */
  public static final int BATCH = 500;

  /**
   * Jobs the sweep makes due per look (a minute): a pass over 6,000 jobs takes an hour, and a store
   * with up to 100 jobs has each cut every minute.
   */
  static final int SWEEP_PAGE = 100;

  /** A look cuts jobs' histories for at most this part of the interval. */
  private static final int LOOK_SHARE = 10;

  /** How long a job or run set aside is skipped. */
  private static final Duration SET_ASIDE_FOR = Duration.ofHours(1);

  private static final long MIN_PAUSE_MILLIS = 10;

  /**
   * Between batches, four times as long as the last round took: a backlog (after an outage, a
   * burst, a limit lowered) takes at most a fifth of one connection, and the drain that made it
   * goes on at nearly full speed; it is deleted after. Measured (kairos bench --scenario
   * retention).
   */
  private static final int PAUSE_PER_WORK = 4;

  private final RetentionStore store;
  private final Clock clock;
  private final Duration retention;
  private final Duration eventWindow;
  private final Duration interval;
  private final int batch;
  private final Isolation isolation;
  private final MeterRegistry registry;

  // the loop's own state, read and written by its thread only (or a test's, driving runRound)
  private final HistoryWatch watch;
  private Instant nextLook = Instant.MIN;
  private Map<JobKey, HistoryCut> backlog = new LinkedHashMap<>();
  private boolean ageBacklog;
  private final Map<JobKey, Instant> jobsSetAside = new HashMap<>();
  private final Map<Long, Instant> runsSetAside = new HashMap<>();

  /**
   * @param retention how long ended runs, finished alert deliveries and audit entries are kept
   * @param eventWindow how long events are kept: their dedup window, at most the retention
   * @param interval how long to wait after a round that left nothing to delete
   */
  public RetentionPruner(
      RetentionStore store,
      Clock clock,
      Duration retention,
      Duration eventWindow,
      Duration interval,
      Isolation isolation,
      MeterRegistry registry) {
    this(store, clock, retention, eventWindow, interval, BATCH, SWEEP_PAGE, isolation, registry);
  }

  RetentionPruner(
      RetentionStore store,
      Clock clock,
      Duration retention,
      Duration eventWindow,
      Duration interval,
      int batch,
      int sweepPage,
      Isolation isolation,
      MeterRegistry registry) {
    super(LOOP, new Signal());
    this.watch = new HistoryWatch(store, sweepPage);
    this.store = store;
    this.clock = clock;
    this.retention = retention;
    this.eventWindow = eventWindow;
    this.interval = interval;
    this.batch = batch;
    this.isolation = isolation;
    this.registry = registry;
  }

  @Override
  protected long runOnce() {
    long start = System.nanoTime();
    Instant now = clock.instant();
    forgetExpired(now);
    boolean look = !now.isBefore(nextLook);
    boolean more = look ? look(now) : pruneHistory(backlog, now);
    if (look || ageBacklog) {
      ageBacklog = pruneByAge(now);
      more |= ageBacklog;
    }
    if (look) {
      nextLook = now.plus(interval);
    }
    if (!more) {
      return interval.toMillis();
    }
    long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    return Math.max(MIN_PAUSE_MILLIS, PAUSE_PER_WORK * took);
  }

  /**
   * Cuts the history of the jobs that are due (see {@link HistoryWatch}), for at most a tenth of
   * the interval (the others wait for the next look), and deletes a batch past each cut; the
   * backlog's jobs go on at their cuts, or at new ones.
   */
  private boolean look(Instant now) {
    watch.look();
    long until = System.nanoTime() + interval.toNanos() / LOOK_SHARE;
    Map<JobKey, HistoryCut> cuts = new LinkedHashMap<>(backlog);
    JobKey job;
    while (System.nanoTime() - until < 0 && (job = watch.next()) != null) {
      HistoryCut cut = cut(job, now);
      if (cut == null) {
        continue;
      }
      watch.wasCut(job, cut);
      if (cut.nonePast()) {
        cuts.remove(job);
      } else {
        cuts.put(job, cut);
      }
    }
    if (watch.dueCount() > 0) {
      log.info(
          "history of jobs due to be cut at the next look (a look cuts for a tenth of the"
              + " interval) count={}",
          watch.dueCount());
    }
    return pruneHistory(cuts, now);
  }

  /** Where the job's history cuts its runs; null when the job was set aside. */
  private HistoryCut cut(JobKey job, Instant now) {
    if (jobsSetAside.containsKey(job)) {
      return null;
    }
    try {
      return store.historyCut(job);
    } catch (RuntimeException e) {
      if (Isolation.isTransient(e)) {
        throw e;
      }
      isolation.setAside(LOOP, job, e);
      jobsSetAside.put(job, now.plus(SET_ASIDE_FOR));
      return null;
    }
  }

  /**
   * Deletes a batch of each job's runs past its cut; the jobs with more than a batch are the
   * backlog that the next rounds go on with, at the same cuts (still true: see {@link HistoryCut}),
   * without looking for other jobs until the interval is over: a cut reads the job's newest runs,
   * and while a drain is under way those are its queued runs, by the ten thousand.
   */
  private boolean pruneHistory(Map<JobKey, HistoryCut> jobs, Instant now) {
    Map<JobKey, HistoryCut> full = new LinkedHashMap<>();
    for (Map.Entry<JobKey, HistoryCut> e : jobs.entrySet()) {
      if (jobsSetAside.containsKey(e.getKey())) {
        continue;
      }
      List<Long> past = store.runsPastHistory(e.getKey(), e.getValue(), batch);
      // a run that ends at this instant is taken next round
      Pruned deleted = delete(past, now);
      if (past.size() == batch && deleted.runs() > 0) {
        full.put(e.getKey(), e.getValue());
      }
    }
    backlog = full;
    return !full.isEmpty();
  }

  private boolean pruneByAge(Instant now) {
    Instant cutoff = now.minus(retention);
    List<Long> old = store.runsEndedBefore(cutoff, batch);
    Pruned deleted = delete(old, cutoff);
    boolean more = old.size() == batch && deleted.runs() > 0;
    int events = store.pruneEvents(now.minus(eventWindow), batch);
    int alerts = store.pruneAlerts(cutoff, batch);
    int audit = store.pruneAudit(cutoff, batch);
    count("events", events);
    count("alerts", alerts);
    count("audit", audit);
    return more || events == batch || alerts == batch || audit == batch;
  }

  /** Deletes the runs, each alone if the batch fails for a reason that will not pass. */
  private Pruned delete(List<Long> runIds, Instant endedBefore) {
    List<Long> ids = new ArrayList<>(runIds);
    ids.removeIf(runsSetAside::containsKey);
    if (ids.isEmpty()) {
      return Pruned.NONE;
    }
    Pruned deleted =
        isolation.run(
            LOOP,
            () -> store.deleteRuns(ids, endedBefore, batch),
            () -> ids,
            id -> store.deleteRuns(List.of(id), endedBefore, batch),
            (id, reason) -> runsSetAside.put(id, clock.instant().plus(SET_ASIDE_FOR)),
            Pruned.NONE,
            Pruned::plus);
    count("runs", deleted.runs());
    count("attempts", deleted.attempts());
    count("logs", deleted.logs());
    if (deleted.runs() > 0) {
      log.debug(
          "deleted runs={} attempts={} logs={} largestTransaction={}",
          deleted.runs(),
          deleted.attempts(),
          deleted.logs(),
          deleted.largestTransaction());
    }
    return deleted;
  }

  private void forgetExpired(Instant now) {
    jobsSetAside.values().removeIf(until -> !until.isAfter(now));
    runsSetAside.values().removeIf(until -> !until.isAfter(now));
  }

  private void count(String table, int rows) {
    if (rows > 0) {
      Counter.builder("kairos.retention.deleted")
          .description(
              "Rows deleted because they were past their job's spec.history or the retention")
          .tag("table", table)
          .register(registry)
          .increment(rows);
    }
  }
}
