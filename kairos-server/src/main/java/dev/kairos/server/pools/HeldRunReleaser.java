package dev.kairos.server.pools;

import dev.kairos.server.loop.BackgroundLoop;
import dev.kairos.server.loop.Signal;
import dev.kairos.store.Store;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the runs that a job's {@code maxActiveRuns} held back, oldest first, once the job has
 * room: woken when this replica records completions (at most every 100 ms), and every {@code
 * interval} for the runs other replicas finish. Jobs without the setting never reach it.
 */
public final class HeldRunReleaser extends BackgroundLoop {
  private static final Logger log = LoggerFactory.getLogger(HeldRunReleaser.class);

  private final Store store;
  private final Clock clock;
  private final Duration interval;
  private final Signal queued;
  private long lastRound;

  /** Completions come by the thousand a second under load: look at most this often. */
  private static final long MIN_GAP_MILLIS = 100;

  /**
   * @param queued signalled when attempts end (a run may have finished) and, by this, when held
   *     runs are released (for waiting polls)
   */
  public HeldRunReleaser(Store store, Clock clock, Duration interval, Signal queued) {
    super("held-runs", queued);
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
    int released = store.releaseHeldRuns(clock.instant());
    if (released > 0) {
      log.info("released runs held by maxActiveRuns count={}", released);
      queued.signal();
    }
    return interval.toMillis();
  }
}
