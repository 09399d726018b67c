package dev.kairos.server.events;

import dev.kairos.server.isolation.Isolation;
import dev.kairos.server.loop.Signal;
import dev.kairos.store.Store;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

/**
 * A broker source without a broker: a test hands it messages one by one and reads what the source
 * would tell the broker ({@code ACK}, {@code REJECT} or {@code RETRY}).
 */
public final class DirectSource extends BrokerSource {
  public DirectSource(Store store, Clock clock, Isolation isolation) {
    super(store, clock, new Signal(), isolation, "direct");
  }

  /** Delivers one structured CloudEvent (JSON) and says what the broker is told. */
  public String deliver(String cloudEventJson) {
    return receive(
            cloudEventJson.getBytes(StandardCharsets.UTF_8),
            "application/cloudevents+json",
            header -> null,
            null)
        .name();
  }

  @Override
  public void start() {}

  @Override
  public void close() {}
}
