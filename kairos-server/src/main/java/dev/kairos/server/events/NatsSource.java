package dev.kairos.server.events;

import dev.kairos.server.isolation.Isolation;
import dev.kairos.server.loop.Signal;
import dev.kairos.store.Store;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.PushSubscribeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.impl.Headers;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;

/**
 * Events from a NATS JetStream stream ({@code
 * nats://host:4222?stream=NAME&subject=SUBJECT&durable=NAME}; the stream is created, file-backed,
 * if it does not exist). A durable consumer with explicit acknowledgement: each message is acked
 * after its event is stored, terminated when it is not an event, and nak'ed (redelivered) when the
 * store fails. Without a {@code ce-id} header or an {@code id} field, JetStream's {@code
 * Nats-Msg-Id} is the event's id.
 */
final class NatsSource extends BrokerSource {
  private final URI uri;
  private final String stream;
  private final String subject;
  private final String durable;
  private Connection connection;

  NatsSource(URI uri, Store store, Clock clock, Signal queued, Isolation isolation) {
    super(store, clock, queued, isolation, redact(uri.toString()));
    this.uri = uri;
    this.stream = param(uri, "stream", null);
    this.subject = param(uri, "subject", stream == null ? null : stream.toLowerCase() + ".>");
    this.durable = param(uri, "durable", "kairos");
    if (stream == null || stream.isBlank()) {
      throw new IllegalArgumentException(
          "--events-from " + redact(uri.toString()) + ": name the stream (?stream=NAME)");
    }
  }

  @Override
  public void start() throws Exception {
    String server = uri.getScheme() + "://" + uri.getRawAuthority();
    connection =
        Nats.connect(
            new Options.Builder()
                .server(server)
                .connectionName("kairos")
                .maxReconnects(-1)
                .reconnectWait(Duration.ofSeconds(1))
                .build());
    JetStreamManagement jsm = connection.jetStreamManagement();
    try {
      jsm.getStreamInfo(stream);
    } catch (JetStreamApiException e) {
      jsm.addStream(
          StreamConfiguration.builder()
              .name(stream)
              .subjects(subject)
              .storageType(StorageType.File)
              .build());
    }
    JetStream js = connection.jetStream();
    Dispatcher dispatcher = connection.createDispatcher();
    js.subscribe(
        subject,
        dispatcher,
        this::handle,
        false,
        PushSubscribeOptions.builder().stream(stream)
            .durable(durable)
            .configuration(
                ConsumerConfiguration.builder()
                    .ackPolicy(AckPolicy.Explicit)
                    .ackWait(Duration.ofSeconds(30))
                    .maxAckPending(50)
                    .build())
            .build());
  }

  private void handle(Message m) {
    Headers h = m.getHeaders();
    String msgId = h == null ? null : h.getFirst("Nats-Msg-Id");
    Verdict v =
        receive(
            m.getData(),
            h == null ? null : h.getFirst("content-type"),
            name -> h == null ? null : h.getFirst(name),
            msgId);
    switch (v) {
      case ACK -> m.ack();
      case REJECT -> m.term();
      case RETRY -> m.nakWithDelay(Duration.ofSeconds(1));
    }
  }

  @Override
  public void close() throws Exception {
    if (connection != null) {
      connection.close();
    }
  }
}
