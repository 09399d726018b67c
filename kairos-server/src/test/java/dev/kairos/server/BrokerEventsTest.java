package dev.kairos.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import dev.kairos.core.run.TriggerKind;
import dev.kairos.core.spec.JobKey;
import dev.kairos.prerequisites.Part;
import dev.kairos.store.RunQuery;
import dev.kairos.store.RunRecord;
import dev.kairos.store.Store;
import dev.kairos.store.StoreConfig;
import dev.kairos.store.StoreFactory;
import io.nats.client.JetStream;
import io.nats.client.Nats;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Events consumed from the real RabbitMQ and NATS JetStream of this machine: each event starts the
 * subscribed job once, a duplicate nothing, and what is not an event is rejected, not redelivered.
 * A broker that is not running skips its test, or fails it in a strict run ({@code ./test}).
 */
class BrokerEventsTest {
  @TempDir Path dir;

  /** Null when something accepts connections on the loopback port, else why not. */
  static String unreachable(int port) {
    try (Socket s = new Socket("127.0.0.1", port)) {
      return null;
    } catch (IOException e) {
      return "nothing answers on 127.0.0.1:" + port + ": " + e.getMessage();
    }
  }

  static final String JOB =
      """
      apiVersion: kairos.dev/v1
      kind: Job
      metadata: {name: %s}
      spec:
        triggers: [{event: {type: %s}}]
        task: {empty: {}}
      """;

  List<RunRecord> runs(Store store, String job) {
    return store.listRuns(new RunQuery(new JobKey("default", job), null, 100, null));
  }

  KairosServer start(Store store, String source) throws Exception {
    KairosServer server =
        new KairosServer(
            ServerConfig.defaults(dir.resolve("state"))
                .withPort(0)
                .withEventSources(List.of(source)),
            store,
            Clock.systemUTC());
    try {
      server.start();
    } catch (Exception e) {
      server.close();
      throw e;
    }
    return server;
  }

  @Test
  void rabbitMqMessagesStartTheSubscribedJobOnceEach() throws Exception {
    Part.RABBITMQ.require(unreachable(5672));
    String queue = "kairos-test-" + UUID.randomUUID();
    try (Store store = StoreFactory.open(StoreConfig.sqlite(dir));
        KairosServer server =
            start(store, "amqp://guest:guest@127.0.0.1:5672/%2F?queue=" + queue)) {
      ApiClient api =
          new ApiClient(
              server.url(), java.nio.file.Files.readString(server.adminTokenFile()).trim());
      api.applyYaml(JOB.formatted("from-rabbit", "file-arrived"));
      ConnectionFactory f = new ConnectionFactory();
      f.setUri("amqp://guest:guest@127.0.0.1:5672/%2F");
      try (Connection c = f.newConnection();
          Channel ch = c.createChannel()) {
        String event =
            "{\"type\": \"file-arrived\", \"source\": \"rabbit-test\", \"id\": \"r-1\", \"data\": {\"n\": 1}}";
        ch.basicPublish("", queue, null, event.getBytes(StandardCharsets.UTF_8));
        ch.basicPublish("", queue, null, event.getBytes(StandardCharsets.UTF_8)); // a redelivery
        ch.basicPublish("", queue, null, "not an event".getBytes(StandardCharsets.UTF_8));
        // binary mode: headers, and the message id as the event's id
        ch.basicPublish(
            "",
            queue,
            new AMQP.BasicProperties.Builder()
                .headers(Map.of("ce-type", "file-arrived", "ce-source", "rabbit-test"))
                .messageId("r-2")
                .contentType("application/json")
                .build(),
            "{\"n\": 2}".getBytes(StandardCharsets.UTF_8));
        await()
            .atMost(Duration.ofSeconds(15))
            .untilAsserted(() -> assertThat(runs(store, "from-rabbit")).hasSize(2));
        // every message was settled: acknowledged or rejected, none left to redeliver
        await().atMost(Duration.ofSeconds(10)).until(() -> ch.messageCount(queue) == 0);
        Thread.sleep(1_000);
        assertThat(runs(store, "from-rabbit"))
            .hasSize(2)
            .allSatisfy(r -> assertThat(r.trigger()).isEqualTo(TriggerKind.EVENT));
        ch.queueDelete(queue);
      }
    }
  }

  @Test
  void natsJetStreamMessagesStartTheSubscribedJobOnceEach() throws Exception {
    Part.NATS.require(unreachable(4222));
    String name =
        "KT" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toUpperCase();
    String subject = name.toLowerCase() + ".events";
    try (Store store = StoreFactory.open(StoreConfig.sqlite(dir));
        KairosServer server =
            start(store, "nats://127.0.0.1:4222?stream=" + name + "&subject=" + subject)) {
      ApiClient api =
          new ApiClient(
              server.url(), java.nio.file.Files.readString(server.adminTokenFile()).trim());
      api.applyYaml(JOB.formatted("from-nats", "table-ready"));
      try (io.nats.client.Connection nc = Nats.connect("nats://127.0.0.1:4222")) {
        JetStream js = nc.jetStream();
        Headers h = new Headers().add("ce-type", "table-ready").add("ce-source", "nats-test");
        for (String id : List.of("n-1", "n-1", "n-2")) {
          js.publish(
              NatsMessage.builder()
                  .subject(subject)
                  .headers(new Headers(h).put("ce-id", id))
                  .data("{\"rows\": 3}", StandardCharsets.UTF_8)
                  .build());
        }
        js.publish(subject, "garbage".getBytes(StandardCharsets.UTF_8));
        await()
            .atMost(Duration.ofSeconds(15))
            .untilAsserted(() -> assertThat(runs(store, "from-nats")).hasSize(2));
        Thread.sleep(1_000);
        assertThat(runs(store, "from-nats")).hasSize(2);
        nc.jetStreamManagement().deleteStream(name);
      }
    }
  }
}
