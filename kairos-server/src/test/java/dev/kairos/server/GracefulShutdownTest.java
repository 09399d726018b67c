package dev.kairos.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Stopping a server (what SIGTERM does) answers the requests in flight, waiting long polls
 * included, with normal responses instead of reset connections, and then accepts no more.
 */
class GracefulShutdownTest {
  static final String IDLE_POLL =
      """
      {"workerId": "w-idle", "pool": "nobody-serves-this", "max": 1, "waitMillis": 60000,
       "capacity": {"cpu": "1", "memory": "1Gi", "slots": 1}}
      """;

  @Test
  void aWaitingLongPollIsAnsweredWithNoWorkWhenTheServerStops() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    TestServer server = TestServer.sqlite();
    String token = server.credential("w-idle", "nobody-serves-this", "default");
    HttpRequest poll =
        HttpRequest.newBuilder(URI.create(server.url() + "/api/v1/worker/poll"))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(IDLE_POLL))
            .build();
    CompletableFuture<HttpResponse<String>> answer =
        http.sendAsync(poll, HttpResponse.BodyHandlers.ofString());
    await().atMost(Duration.ofSeconds(10)).until(() -> server.server().requestsInFlight() >= 1);
    assertThat(answer).isNotDone();

    server.close();
    // the poll asked to wait 60s (the most a poll may): an answer sooner comes from the stop
    HttpResponse<String> response = answer.get(30, TimeUnit.SECONDS);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(new ObjectMapper().readTree(response.body()).get("assignments")).isEmpty();

    assertThatThrownBy(() -> http.send(poll, HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(java.io.IOException.class);
  }
}
