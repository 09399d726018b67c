package dev.kairos.worker.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kairos.core.protocol.Capacity;
import dev.kairos.core.protocol.Completion;
import dev.kairos.core.protocol.Lease;
import dev.kairos.core.protocol.LeaseTerms;
import dev.kairos.core.protocol.LogChunk;
import dev.kairos.core.protocol.PollRequest;
import dev.kairos.core.protocol.WorkerInfo;
import dev.kairos.core.run.AttemptState;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** The HTTP client of the worker protocol against stand-in replicas, some of them down. */
class HttpWorkerProtocolTest {
  static final WorkerInfo WORKER =
      new WorkerInfo(
          "w1", "default", "east", Map.of("zone", "a"), new Capacity(2_000, 4L << 30, 16));

  @Test
  void everyCallMovesOnFromAReplicaThatIsDown() throws Exception {
    try (StubServer up = StubServer.start()) {
      HttpWorkerProtocol protocol =
          new HttpWorkerProtocol(List.of(StubServer.down(), up.url()), "t", Duration.ofSeconds(5));

      assertThat(protocol.poll(new PollRequest(WORKER, 4, 0)).assignments()).isEmpty();
      assertThat(protocol.leaseTerms())
          .isEqualTo(new LeaseTerms(Duration.ofSeconds(9), Duration.ofSeconds(3)));
      assertThat(protocol.heartbeat("w1", List.of(new Lease(7L, 1))).lost()).isEqualTo(Set.of(7L));
      protocol.complete("w1", List.of(new Completion(7, AttemptState.SUCCEEDED, 0, null)));
      protocol.appendLogs("w1", List.of(new LogChunk(7, 0, "stdout", 0, "hi\n")));
      protocol.release("w1", List.of(new Lease(8L, 1)));

      assertThat(up.paths())
          .containsExactly(
              "/api/v1/worker/enrol",
              "/api/v1/worker/poll",
              "/api/v1/worker/config",
              "/api/v1/worker/heartbeat",
              "/api/v1/worker/complete",
              "/api/v1/worker/logs",
              "/api/v1/worker/release");
    }
  }

  @Test
  void aWorkerEnrolsWithItsTokenThenCallsWithItsCredentialAndEnrolsAgainWhenItIsRevoked()
      throws Exception {
    try (StubServer up = StubServer.start()) {
      HttpWorkerProtocol protocol = new HttpWorkerProtocol(List.of(up.url()), "enrolment");
      protocol.identify(WORKER);
      protocol.heartbeat("w1", List.of());
      protocol.heartbeat("w1", List.of());
      up.revoked = "cred-1";
      protocol.heartbeat("w1", List.of());
      assertThat(up.calls)
          .extracting(StubServer.Call::path, StubServer.Call::bearer)
          .containsExactly(
              tuple("/api/v1/worker/enrol", "enrolment"),
              tuple("/api/v1/worker/heartbeat", "cred-1"),
              tuple("/api/v1/worker/heartbeat", "cred-1"),
              tuple("/api/v1/worker/heartbeat", "cred-1"),
              tuple("/api/v1/worker/enrol", "enrolment"),
              tuple("/api/v1/worker/heartbeat", "cred-2"));
      JsonNode enrol = new ObjectMapper().readTree(up.calls.get(0).body());
      assertThat(enrol.get("workerId").asText()).isEqualTo("w1");
      assertThat(enrol.get("pool").asText()).isEqualTo("default");
      assertThat(enrol.get("cluster").asText()).isEqualTo("east");
    }
  }

  @Test
  void aPollDeclaresTheWorker() throws Exception {
    try (StubServer up = StubServer.start()) {
      new HttpWorkerProtocol(List.of(up.url()), "t").poll(new PollRequest(WORKER, 3, 0));
      JsonNode body = new ObjectMapper().readTree(up.calls.get(1).body());
      assertThat(body.get("workerId").asText()).isEqualTo("w1");
      assertThat(body.get("pool").asText()).isEqualTo("default");
      assertThat(body.get("cluster").asText()).isEqualTo("east");
      assertThat(body.get("labels").get("zone").asText()).isEqualTo("a");
      assertThat(body.get("capacity").get("cpu").asText()).isEqualTo("2");
      assertThat(body.get("capacity").get("memory").asText()).isEqualTo("4Gi");
      assertThat(body.get("capacity").get("slots").asInt()).isEqualTo(16);
      assertThat(body.get("max").asInt()).isEqualTo(3);
    }
  }

  @Test
  void aReplicaAnswering5xxIsSkippedAndTheNextOneIsUsedFromThenOn() throws Exception {
    try (StubServer stopping = StubServer.answering(503);
        StubServer up = StubServer.start()) {
      HttpWorkerProtocol protocol =
          new HttpWorkerProtocol(List.of(stopping.url(), up.url()), "t", Duration.ofSeconds(5));
      protocol.heartbeat("w1", List.of(new Lease(1L, 1)));
      protocol.heartbeat("w1", List.of(new Lease(1L, 1)));
      assertThat(stopping.calls).hasSize(1);
      assertThat(up.calls).hasSize(2);
    }
  }

  @Test
  void aCallBacksOffAndRetriesUntilAReplicaComesBack() throws Exception {
    String comingBack = StubServer.down();
    int port = URI.create(comingBack).getPort();
    HttpWorkerProtocol protocol =
        new HttpWorkerProtocol(List.of(StubServer.down(), comingBack), "t", Duration.ofSeconds(20));
    var restarted = new java.util.concurrent.atomic.AtomicReference<StubServer>();
    Thread restart =
        Thread.ofVirtual()
            .start(() -> {
              try {
                Thread.sleep(800);
                restarted.set(StubServer.on(port));
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    long start = System.nanoTime();
    protocol.complete("w1", List.of(new Completion(1, AttemptState.SUCCEEDED, 0, null)));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(700));
    restart.join();
    assertThat(restarted.get().paths()).containsExactly("/api/v1/worker/complete");
    restarted.get().close();
  }

  @Test
  void aCallGivesUpWhenNoReplicaAnswersWithinItsRetryTime() throws Exception {
    HttpWorkerProtocol protocol =
        new HttpWorkerProtocol(
            List.of(StubServer.down(), StubServer.down()), "t", Duration.ofMillis(800));
    long start = System.nanoTime();
    assertThatThrownBy(() -> protocol.release("w1", List.of(new Lease(1L, 1))))
        .isInstanceOf(WorkerProtocolException.class)
        .hasMessageContaining("no server reachable");
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(took).isBetween(Duration.ofMillis(200), Duration.ofSeconds(5));
  }

  @Test
  void aRejectedRequestIsNotRetriedElsewhere() throws Exception {
    try (StubServer refusing = StubServer.answering(400);
        StubServer other = StubServer.start()) {
      HttpWorkerProtocol protocol =
          new HttpWorkerProtocol(List.of(refusing.url(), other.url()), "t", Duration.ofSeconds(5));
      assertThatThrownBy(() -> protocol.poll(new PollRequest(WORKER, 1, 0)))
          .isInstanceOf(WorkerProtocolException.class)
          .hasMessageContaining("400: stub says no");
      assertThat(refusing.calls).hasSize(1);
      assertThat(other.calls).isEmpty();
    }
  }

  @Test
  void aLargeReleaseIsSentInBatchesTheServerAccepts() throws Exception {
    try (StubServer up = StubServer.start()) {
      new HttpWorkerProtocol(List.of(up.url()), "t")
          .release(
              "w1", LongStream.rangeClosed(1, 2_500).mapToObj(id -> new Lease(id, 1)).toList());
      assertThat(up.paths()).hasSize(3).containsOnly("/api/v1/worker/release");
    }
  }
}
