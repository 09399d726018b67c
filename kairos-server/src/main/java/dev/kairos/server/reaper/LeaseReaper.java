package dev.kairos.server.reaper;

import dev.kairos.server.isolation.Isolation;
import dev.kairos.server.loop.BackgroundLoop;
import dev.kairos.server.loop.Signal;
import dev.kairos.store.AttemptEnd;
import dev.kairos.store.Completed;
import dev.kairos.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds attempts whose worker stopped heartbeating (lease expired) and hands them to the retry
 * policy. This is how a dead worker, or a server killed with its local worker, is recovered from.
 * After the store was out of reach, leases that lapsed meanwhile are given one more lease before
 * they are reaped (see {@link OutageGrace}): no worker could renew them. An attempt whose reaping
 * fails alone, for a reason that will not pass, is set aside (see {@link Isolation}) so that every
 * other expired lease is still reaped.
 */
public final class LeaseReaper extends BackgroundLoop {
  private static final Logger log = LoggerFactory.getLogger(LeaseReaper.class);
  private static final int BATCH = 500;

  private final Store store;
  private final Clock clock;
  private final Duration interval;
  private final RandomGenerator random;
  private final Signal queued;
  private final OutageGrace grace;
  private final Consumer<List<AttemptEnd>> ended;
  private final Isolation isolation;

  /**
   * @param interval how often expired leases are looked for
   * @param lease the lease workers are given, which is also the grace after a store outage
   * @param ended told of the attempts it ended (for metrics)
   */
  public LeaseReaper(
      Store store,
      Clock clock,
      Duration interval,
      Duration lease,
      RandomGenerator random,
      Signal queued,
      Consumer<List<AttemptEnd>> ended,
      Isolation isolation) {
    super("lease-reaper", new Signal());
    this.isolation = isolation;
    this.store = store;
    this.clock = clock;
    this.interval = interval;
    this.random = random;
    this.queued = queued;
    this.ended = ended;
    // rounds normally reach the store every interval: twice that without one is a blind spot
    this.grace = new OutageGrace(lease, interval.multipliedBy(2));
  }

  @Override
  protected long runOnce() {
    Instant start = clock.instant();
    boolean wasHolding = grace.holding();
    Instant heldUntil = grace.holdUntil();
    int reaped;
    List<Long> expired;
    try {
      Instant cutoff = grace.cutoff(start);
      expired = store.expiredLeases(cutoff, BATCH);
      Completed done =
          expired.isEmpty()
              ? Completed.NONE
              : isolation.run(
                  "lease-reaper",
                  () -> store.reapAttempts(expired, cutoff, random),
                  () -> expired,
                  id -> store.reapAttempts(List.of(id), cutoff, random),
                  (id, reason) -> store.setAsideAttempt(id, reason, clock.instant()),
                  Completed.NONE,
                  Completed::plus);
      ended.accept(done.ended());
      reaped = done.accepted();
    } catch (RuntimeException e) {
      grace.failed(start);
      throw e;
    }
    grace.reached(start, clock.instant());
    logGrace(wasHolding, heldUntil);
    if (reaped > 0) {
      log.info("reaped attempts with expired leases count={}", reaped);
      queued.signal();
      if (expired.size() == BATCH) {
        return 0;
      }
    }
    return interval.toMillis();
  }

  private void logGrace(boolean wasHolding, Instant heldUntil) {
    if (grace.holdUntil() != null && !grace.holdUntil().equals(heldUntil)) {
      log.info(
          "store reachable again after an outage: leases that lapsed meanwhile are kept until {}"
              + " so that workers can renew them",
          grace.holdUntil());
    } else if (wasHolding && !grace.holding()) {
      log.info("lease grace after the store outage is over: reaping every expired lease");
    }
  }
}
