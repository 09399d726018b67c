package dev.kairos.server.events;

import dev.kairos.server.loop.BackgroundLoop;
import dev.kairos.server.loop.Signal;
import dev.kairos.store.Store;
import java.time.Clock;
import java.time.Duration;

/**
 * Forgets events older than the dedup window, every minute: the same source and id after that is a
 * new event. Within it, a redelivery (a broker's retry, a client's) starts nothing.
 */
public final class EventPruner extends BackgroundLoop {
  private static final int BATCH = 500;

  private final Store store;
  private final Clock clock;
  private final Duration window;

  public EventPruner(Store store, Clock clock, Duration window) {
    super("event-pruner", new Signal());
    this.store = store;
    this.clock = clock;
    this.window = window;
  }

  @Override
  protected long runOnce() {
    while (store.pruneEvents(clock.instant().minus(window), BATCH) == BATCH) {
      // the next batch
    }
    return Duration.ofMinutes(1).toMillis();
  }
}
