package dev.kairos.server.reaper;

import dev.kairos.server.loop.BackgroundLoop;
import dev.kairos.server.loop.Signal;
import dev.kairos.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds attempts whose worker stopped heartbeating (lease expired) and hands them to the retry
 * policy. This is how a dead worker, or a server killed with its local worker, is recovered from.
 */
public final class LeaseReaper extends BackgroundLoop {
  private static final Logger log = LoggerFactory.getLogger(LeaseReaper.class);
  private static final int BATCH = 500;

  private final Store store;
  private final Clock clock;
  private final Duration interval;
  private final RandomGenerator random;
  private final Signal queued;

  public LeaseReaper(
      Store store, Clock clock, Duration interval, RandomGenerator random, Signal queued) {
    super("lease-reaper", new Signal());
    this.store = store;
    this.clock = clock;
    this.interval = interval;
    this.random = random;
    this.queued = queued;
  }

  @Override
  protected long runOnce() {
    int reaped = store.reapExpiredLeases(clock.instant(), BATCH, random);
    if (reaped > 0) {
      log.info("reaped attempts with expired leases count={}", reaped);
      queued.signal();
      if (reaped == BATCH) {
        return 0;
      }
    }
    return interval.toMillis();
  }
}
