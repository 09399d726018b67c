package dev.kairos.server.audit;

import dev.kairos.server.loop.BackgroundLoop;
import dev.kairos.server.loop.Signal;
import dev.kairos.store.Store;
import java.time.Clock;
import java.time.Duration;

/** Deletes audit entries older than the retention, once an hour. */
public final class AuditPruner extends BackgroundLoop {
  private static final int BATCH = 500;

  private final Store store;
  private final Clock clock;
  private final Duration retention;

  public AuditPruner(Store store, Clock clock, Duration retention) {
    super("audit-pruner", new Signal());
    this.store = store;
    this.clock = clock;
    this.retention = retention;
  }

  @Override
  protected long runOnce() {
    while (store.pruneAudit(clock.instant().minus(retention), BATCH) == BATCH) {
      // the next batch
    }
    return Duration.ofHours(1).toMillis();
  }
}
