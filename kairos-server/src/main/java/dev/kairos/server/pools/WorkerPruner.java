package dev.kairos.server.pools;

import dev.kairos.server.loop.BackgroundLoop;
import dev.kairos.server.loop.Signal;
import dev.kairos.store.Store;
import java.time.Clock;
import java.time.Duration;

/**
 * Forgets workers not heard from for {@code retention}: workers come and go (autoscaling, deploys)
 * and the registry keeps only what is recent. A live worker is never pruned: it is written every
 * few seconds.
 */
public final class WorkerPruner extends BackgroundLoop {
  private final Store store;
  private final Clock clock;
  private final Duration retention;

  public WorkerPruner(Store store, Clock clock, Duration retention) {
    super("worker-pruner", new Signal());
    this.store = store;
    this.clock = clock;
    this.retention = retention;
  }

  @Override
  protected long runOnce() {
    store.pruneWorkers(clock.instant().minus(retention));
    return Duration.ofMinutes(10).toMillis();
  }
}
