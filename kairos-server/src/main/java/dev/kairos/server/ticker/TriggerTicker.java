package dev.kairos.server.ticker;

import dev.kairos.server.loop.BackgroundLoop;
import dev.kairos.server.loop.Signal;
import dev.kairos.store.RunRecord;
import dev.kairos.store.Store;
import dev.kairos.store.TriggerPlanner;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns due schedule fires into runs. Sleeps until the earliest next fire (or {@code maxSleep}, or
 * until a job changes), then fires every due job in one store transaction. The store's unique (job,
 * fire time) key makes it safe to run on every replica at once.
 */
public final class TriggerTicker extends BackgroundLoop {
  private static final Logger log = LoggerFactory.getLogger(TriggerTicker.class);
  private static final int BATCH = 2_000;

  private final Store store;
  private final Clock clock;
  private final TriggerPlanner planner;
  private final Duration maxSleep;
  private final Signal queued;

  /**
   * @param jobsChanged signalled when a job is applied, resumed or deleted
   * @param queued signalled when runs were created, to wake pollers
   */
  public TriggerTicker(
      Store store,
      Clock clock,
      TriggerPlanner planner,
      Duration maxSleep,
      Signal jobsChanged,
      Signal queued) {
    super("trigger-ticker", jobsChanged);
    this.store = store;
    this.clock = clock;
    this.planner = planner;
    this.maxSleep = maxSleep;
    this.queued = queued;
  }

  @Override
  protected long runOnce() {
    Instant now = clock.instant();
    List<RunRecord> created = store.fireDueTriggers(now, BATCH, planner);
    if (!created.isEmpty()) {
      queued.signal();
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
      if (created.size() >= BATCH) {
        return 0;
      }
    }
    Optional<Instant> next = store.nextFireTime();
    long sleep = maxSleep.toMillis();
    if (next.isPresent()) {
      sleep = Math.min(sleep, Duration.between(clock.instant(), next.get()).toMillis());
    }
    // a due job another replica holds: look again shortly rather than spin
    return Math.max(created.isEmpty() ? 10 : 0, sleep);
  }
}
