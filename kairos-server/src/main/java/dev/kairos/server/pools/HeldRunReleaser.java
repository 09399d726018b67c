package dev.kairos.server.pools;

import dev.kairos.server.isolation.Isolation;
import dev.kairos.server.loop.BackgroundLoop;
import dev.kairos.server.loop.Signal;
import dev.kairos.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the runs that a job's {@code maxActiveRuns} held back, oldest first, once the job has
 * room: woken when this replica records completions (at most every 100 ms), and every {@code
 * interval} for the runs other replicas finish. Jobs without the setting never reach it. A job
 * whose held runs fail to start alone, for a reason that will not pass, has them set aside (FAILED
 * with the internal error; see {@link Isolation}) so that other jobs' runs still start.
 */
public final class HeldRunReleaser extends BackgroundLoop {
  private static final Logger log = LoggerFactory.getLogger(HeldRunReleaser.class);

  private final Store store;
  private final Clock clock;
  private final Duration interval;
  private final Signal queued;
  private final Isolation isolation;
  private long lastRound;

  /** Completions come by the thousand a second under load: look at most this often. */
  private static final long MIN_GAP_MILLIS = 100;

  /**
   * @param queued signalled when attempts end (a run may have finished) and, by this, when held
   *     runs are released (for waiting polls)
   */
  public HeldRunReleaser(
      Store store, Clock clock, Duration interval, Signal queued, Isolation isolation) {
    super("held-runs", queued);
    this.isolation = isolation;
    this.store = store;
    this.clock = clock;
    this.interval = interval;
    this.queued = queued;
  }

  @Override
  protected long runOnce() throws InterruptedException {
    long gap = System.currentTimeMillis() - lastRound;
    if (gap < MIN_GAP_MILLIS) {
      Thread.sleep(MIN_GAP_MILLIS - gap);
    }
    lastRound = System.currentTimeMillis();
    Instant now = clock.instant();
    int released =
        isolation.run(
            "held-runs",
            () -> store.releaseHeldRuns(now),
            store::jobsWithHeldRuns,
            job -> store.releaseHeldRuns(job, now),
            (job, reason) -> store.setAsideHeldRuns(job, reason, clock.instant()),
            0,
            Integer::sum);
    if (released > 0) {
      log.info("released runs held by maxActiveRuns count={}", released);
      queued.signal();
    }
    return interval.toMillis();
  }
}
