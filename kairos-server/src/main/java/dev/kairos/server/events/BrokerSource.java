package dev.kairos.server.events;

import dev.kairos.server.isolation.Isolation;
import dev.kairos.server.loop.Signal;
import dev.kairos.store.EventIntake;
import dev.kairos.store.NewEvent;
import dev.kairos.store.Store;
import java.net.URI;
import java.time.Clock;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes events from a message broker, with the guarantees of {@code POST /api/v1/events}: a
 * message is acknowledged only after the event and the runs it starts are committed, so a crash in
 * between redelivers it (and the same source and id starts nothing twice); a message that is not an
 * event is rejected, not redelivered forever, and so is one whose storing fails for a reason that
 * will not pass (counted as an internal error of {@code event-intake}): a transient store failure
 * redelivers it.
 */
public abstract class BrokerSource implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(BrokerSource.class);

  /** What became of a message. */
  enum Verdict {
    /** Stored (or a duplicate): acknowledge it. */
    ACK,
    /** Not an event: reject it without redelivery. */
    REJECT,
    /** The store failed for a reason that may pass: redeliver it later. */
    RETRY
  }

  private final Store store;
  private final Clock clock;
  private final Signal queued;
  private final Isolation isolation;
  private final String name;

  protected BrokerSource(
      Store store, Clock clock, Signal queued, Isolation isolation, String name) {
    this.store = store;
    this.clock = clock;
    this.queued = queued;
    this.isolation = isolation;
    this.name = name;
  }

  /** Starts consuming; returns once connected. */
  public abstract void start() throws Exception;

  /** Receives one message: stores the event it holds, and says what to tell the broker. */
  protected Verdict receive(
      byte[] body, String contentType, UnaryOperator<String> header, String messageId) {
    NewEvent event;
    try {
      event = CloudEvents.read(body, contentType, header, messageId);
    } catch (CloudEvents.BadEvent e) {
      log.warn("rejected a message that is not an event source={}: {}", name, e.getMessage());
      return Verdict.REJECT;
    }
    try {
      EventIntake intake = store.receiveEvent(event, clock.instant());
      if (!intake.runs().isEmpty()) {
        queued.signal();
      }
      return Verdict.ACK;
    } catch (RuntimeException e) {
      if (!Isolation.isTransient(e)) {
        isolation.setAside("event-intake", event.source() + "/" + event.id(), e);
        return Verdict.REJECT;
      }
      log.warn(
          "could not store an event, it will be redelivered source={}: {}", name, e.toString());
      return Verdict.RETRY;
    }
  }

  /**
   * A source from its URI: {@code amqp://user:pass@host:5672/vhost?queue=NAME} (RabbitMQ) or {@code
   * nats://host:4222?stream=NAME&subject=SUBJECT&durable=NAME} (NATS JetStream).
   */
  public static BrokerSource of(
      String uri, Store store, Clock clock, Signal queued, Isolation isolation) {
    URI u = URI.create(uri);
    return switch (u.getScheme() == null ? "" : u.getScheme()) {
      case "amqp", "amqps" -> new RabbitSource(u, store, clock, queued, isolation);
      case "nats", "tls" -> new NatsSource(u, store, clock, queued, isolation);
      default ->
          throw new IllegalArgumentException(
              "--events-from "
                  + redact(uri)
                  + ": use amqp://...?queue=NAME or nats://...?stream=NAME");
    };
  }

  /** The URI without its password, for messages. */
  public static String redact(String uri) {
    return uri.replaceAll("//([^:/@]+):[^@]*@", "//$1:***@");
  }

  static String param(URI uri, String name, String dflt) {
    if (uri.getRawQuery() != null) {
      for (String pair : uri.getRawQuery().split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0 && pair.substring(0, eq).equals(name)) {
          return java.net.URLDecoder.decode(
              pair.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8);
        }
      }
    }
    return dflt;
  }
}
