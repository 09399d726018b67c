package dev.kairos.server.ticker;

import dev.kairos.server.isolation.Isolation;
import dev.kairos.server.loop.BackgroundLoop;
import dev.kairos.server.loop.Signal;
import dev.kairos.store.RunRecord;
import dev.kairos.store.Store;
import dev.kairos.store.TriggerPlanner;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns due schedule fires into runs. Sleeps until the earliest next fire (or {@code maxSleep}, or
 * until a job changes), then fires every due job in one store transaction. The store's unique (job,
 * fire time) key makes it safe to run on every replica at once.
 *
 * <p>Jobs whose fires do not depend on what is active (Allow) are fired {@code fireAhead} early:
 * their runs wait in the queue until {@code claimAhead} before their fire time, when the ticker
 * wakes the pollers of this replica (other replicas' pollers look on their own short timer); the
 * workers that claim them start them on the fire time. So a fire time shared by thousands of jobs
 * costs its database work before the time, not after it.
 *
 * <p>A job whose fire fails alone, for a reason that will not pass (a stored spec that cannot be
 * planned, say), is set aside (see {@link Isolation}): its schedule stops with the reason until the
 * job is applied or resumed again, and every other job fires on time.
 */
public final class TriggerTicker extends BackgroundLoop {
  private static final Logger log = LoggerFactory.getLogger(TriggerTicker.class);
  private static final int BATCH = 2_000;

  private final Store store;
  private final Clock clock;
  private final TriggerPlanner planner;
  private final Duration maxSleep;
  private final Duration lead;
  private final Duration claimAhead;
  private final Signal queued;
  private final Consumer<List<RunRecord>> fired;
  private final Isolation isolation;

  /** When runs fired ahead become claimable, to wake the pollers then. Only the loop uses it. */
  private final NavigableSet<Instant> wakeups = new TreeSet<>();

  /**
   * @param fireAhead how early runs of Allow jobs are created (zero: at their fire time)
   * @param claimAhead how early pollers may claim attempts; they are woken that long before the
   *     fire time of runs made ahead
   * @param jobsChanged signalled when a job is applied, resumed or deleted
   * @param queued signalled when runs were created, to wake pollers
   * @param fired told of the runs it created (for metrics)
   */
  public TriggerTicker(
      Store store,
      Clock clock,
      TriggerPlanner planner,
      Duration maxSleep,
      Duration fireAhead,
      Duration claimAhead,
      Signal jobsChanged,
      Signal queued,
      Consumer<List<RunRecord>> fired,
      Isolation isolation) {
    super("trigger-ticker", jobsChanged);
    this.isolation = isolation;
    this.store = store;
    this.clock = clock;
    this.planner = planner;
    this.maxSleep = maxSleep;
    this.lead = lead(fireAhead);
    this.claimAhead = claimAhead;
    this.queued = queued;
    this.fired = fired;
  }

  @Override
  protected long runOnce() {
    Instant now = clock.instant();
    if (!wakeups.isEmpty() && !wakeups.first().isAfter(now)) {
      wakeups.headSet(now, true).clear();
      queued.signal();
    }
    List<RunRecord> created =
        isolation.run(
            "trigger-ticker",
            () -> store.fireDueTriggers(now, lead, BATCH, planner),
            () -> store.dueJobs(now, lead, BATCH),
            job -> store.fireDueTrigger(job, now, lead, planner),
            (job, reason) -> store.setAsideTrigger(job, reason, clock.instant()),
            List.of(),
            TriggerTicker::concat);
    if (!created.isEmpty()) {
      queued.signal();
      fired.accept(created);
      for (RunRecord r : created) {
        Instant claimable = r.fireTime() == null ? null : r.fireTime().minus(claimAhead);
        if (claimable != null && claimable.isAfter(now)) {
          wakeups.add(claimable);
        }
      }
      logFired(created);
      if (created.size() >= BATCH) {
        return 0;
      }
    }
    Instant wake = clock.instant().plus(maxSleep);
    Optional<Instant> next = store.nextFireTime(lead);
    if (next.isPresent() && next.get().isBefore(wake)) {
      wake = next.get();
    }
    if (!wakeups.isEmpty() && wakeups.first().isBefore(wake)) {
      wake = wakeups.first();
    }
    long sleep = ceilMillis(Duration.between(clock.instant(), wake));
    if (sleep <= 0 && created.isEmpty()) {
      // due now, but nothing was made: another replica holds the job; look again shortly
      return 10;
    }
    return Math.max(0, sleep);
  }

  private static List<RunRecord> concat(List<RunRecord> a, List<RunRecord> b) {
    List<RunRecord> both = new java.util.ArrayList<>(a);
    both.addAll(b);
    return both;
  }

  /**
   * How far ahead runs are made: {@code fireAhead}, less half a second when it is a second or more.
   * Fire times fall on whole seconds, so the ticker then makes the runs of a later second at the
   * middle of a second, not at the instant the runs made earlier start and claims are busiest.
   */
  static Duration lead(Duration fireAhead) {
    return fireAhead.compareTo(Duration.ofSeconds(1)) >= 0 ? fireAhead.minusMillis(500) : fireAhead;
  }

  /** Rounded up: a ticker that wakes a moment early would find nothing due and sleep again. */
  private static long ceilMillis(Duration d) {
    long nanos = d.toNanos();
    return nanos <= 0 ? nanos / 1_000_000L : (nanos + 999_999L) / 1_000_000L;
  }

  private static void logFired(List<RunRecord> created) {
    if (log.isDebugEnabled()) {
      created.forEach(r ->
          log.debug(
              "fired job={} run={} fireTime={} state={}",
              r.job(),
              r.id(),
              r.fireTime(),
              r.state()));
    } else if (created.size() == 1) {
      RunRecord r = created.get(0);
      log.info(
          "fired job={} run={} fireTime={} state={}", r.job(), r.id(), r.fireTime(), r.state());
    } else {
      log.info("fired runs={} first={}", created.size(), created.get(0).job());
    }
  }
}
