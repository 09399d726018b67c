package dev.kairos.server.events;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import dev.kairos.server.isolation.Isolation;
import dev.kairos.server.loop.Signal;
import dev.kairos.store.Store;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.util.Map;

/**
 * Events from a RabbitMQ queue ({@code amqp://user:pass@host:5672/vhost?queue=NAME}; the queue is
 * declared durable if it does not exist). Each message is acknowledged after its event is stored,
 * rejected (to the queue's dead-letter exchange, if any) when it is not an event, and returned to
 * the queue when the store fails. Up to 50 are in flight.
 */
final class RabbitSource extends BrokerSource {
  private final URI uri;
  private final String queue;
  private Connection connection;

  RabbitSource(URI uri, Store store, Clock clock, Signal queued, Isolation isolation) {
    super(store, clock, queued, isolation, redact(uri.toString()));
    this.uri = uri;
    this.queue = param(uri, "queue", null);
    if (queue == null || queue.isBlank()) {
      throw new IllegalArgumentException(
          "--events-from " + redact(uri.toString()) + ": name the queue (?queue=NAME)");
    }
  }

  @Override
  public void start() throws Exception {
    ConnectionFactory factory = new ConnectionFactory();
    // the URI without our own query parameters (raw: a vhost of "/" is written %2F)
    factory.setUri(uri.getScheme() + "://" + uri.getRawAuthority() + uri.getRawPath());
    factory.setAutomaticRecoveryEnabled(true);
    connection = factory.newConnection("kairos");
    Channel channel = connection.createChannel();
    channel.queueDeclare(queue, true, false, false, null);
    channel.basicQos(50);
    channel.basicConsume(
        queue,
        false,
        new DefaultConsumer(channel) {
          @Override
          public void handleDelivery(
              String tag, Envelope envelope, AMQP.BasicProperties props, byte[] body)
              throws IOException {
            Map<String, Object> headers =
                props.getHeaders() == null ? Map.of() : props.getHeaders();
            Verdict v =
                receive(
                    body,
                    props.getContentType(),
                    name -> headers.get(name) == null ? null : headers.get(name).toString(),
                    props.getMessageId());
            long tagId = envelope.getDeliveryTag();
            switch (v) {
              case ACK -> getChannel().basicAck(tagId, false);
              case REJECT -> getChannel().basicReject(tagId, false);
              case RETRY -> getChannel().basicNack(tagId, false, true);
            }
          }
        });
  }

  @Override
  public void close() throws Exception {
    if (connection != null && connection.isOpen()) {
      connection.close();
    }
  }
}
