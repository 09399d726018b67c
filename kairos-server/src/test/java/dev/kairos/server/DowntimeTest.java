package dev.kairos.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Fires missed while the server was stopped follow catchup and startingDeadlineSeconds. */
class DowntimeTest {

  static String job(String name, boolean catchup, Integer deadline) {
    return """
    apiVersion: kairos.dev/v1
    kind: Job
    metadata: {name: %s}
    spec:
      schedule: "* * * * * *"
      catchup: %s
      %s
      task: {empty: {}}
    """
        .formatted(name, catchup, deadline == null ? "" : "startingDeadlineSeconds: " + deadline);
  }

  static List<JsonNode> runs(ApiClient api, String job) throws Exception {
    List<JsonNode> list = new ArrayList<>();
    api.get("/api/v1/runs?limit=1000&job=default/" + job).get("items").forEach(list::add);
    return list;
  }

  /** The runs' fire times are consecutive seconds: none missed, none twice. */
  static void assertConsecutiveSeconds(List<JsonNode> runs) {
    List<Long> fires =
        runs.stream()
            .map(r -> java.time.Instant.parse(r.get("fireTime").asText()).getEpochSecond())
            .sorted()
            .toList();
    assertThat(fires).doesNotHaveDuplicates();
    for (int i = 1; i < fires.size(); i++) {
      assertThat(fires.get(i) - fires.get(i - 1)).isEqualTo(1);
    }
  }

  static long count(List<JsonNode> runs, String state) {
    return runs.stream().filter(r -> r.get("state").asText().equals(state)).count();
  }

  // The missed-fire tests run without firing ahead (ServerConfig.fireAhead): runs fired ahead
  // before
  // the server stopped would cover the first seconds of its downtime.

  @Test
  void missedFiresAreRecordedAsMissedWithoutCatchup() throws Exception {
    try (TestServer.State state = TestServer.sqliteState()) {
      try (TestServer server = state.start(Duration.ZERO)) {
        server.api().applyYaml(job("nocatchup", false, null));
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> runs(server.api(), "nocatchup").size() >= 1);
      }
      Thread.sleep(4_000); // the server is down for ~4 fires
      try (TestServer server = state.start(Duration.ZERO)) {
        ApiClient api = server.api();
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> count(runs(api, "nocatchup"), "MISSED") >= 3);
        JsonNode missed =
            runs(api, "nocatchup").stream()
                .filter(r -> r.get("state").asText().equals("MISSED"))
                .findFirst()
                .get();
        assertThat(missed.get("reason").asText()).contains("catchup");
        assertThat(api.get("/api/v1/jobs/default/nocatchup").get("missedFires").asLong())
            .isGreaterThanOrEqualTo(3);
      }
    }
  }

  @Test
  void catchupRunsEveryMissedFireWithinTheDeadline() throws Exception {
    try (TestServer.State state = TestServer.sqliteState()) {
      try (TestServer server = state.start(Duration.ZERO)) {
        server.api().applyYaml(job("catchup", true, 60));
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> runs(server.api(), "catchup").size() >= 1);
      }
      Thread.sleep(4_000);
      try (TestServer server = state.start(Duration.ZERO)) {
        ApiClient api = server.api();
        await()
            .atMost(Duration.ofSeconds(15))
            .until(() -> count(runs(api, "catchup"), "SUCCEEDED") >= 5);
        List<JsonNode> runs = runs(api, "catchup");
        assertThat(count(runs, "MISSED")).isZero();
        // one run per second of the gap: consecutive fire times, none twice
        assertConsecutiveSeconds(runs);
      }
    }
  }

  @Test
  void firesLaterThanTheStartingDeadlineAreMissedEvenWithCatchup() throws Exception {
    try (TestServer.State state = TestServer.sqliteState()) {
      try (TestServer server = state.start(Duration.ZERO)) {
        server.api().applyYaml(job("deadline", true, 1));
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> runs(server.api(), "deadline").size() >= 1);
      }
      Thread.sleep(5_000);
      try (TestServer server = state.start(Duration.ZERO)) {
        ApiClient api = server.api();
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> count(runs(api, "deadline"), "MISSED") >= 2);
        JsonNode missed =
            runs(api, "deadline").stream()
                .filter(r -> r.get("state").asText().equals("MISSED"))
                .findFirst()
                .get();
        assertThat(missed.get("reason").asText()).contains("startingDeadlineSeconds");
      }
    }
  }

  @Test
  void runsFiredAheadCoverADowntimeShorterThanTheWindow() throws Exception {
    try (TestServer.State state = TestServer.sqliteState()) {
      try (TestServer server = state.start(Duration.ofSeconds(5))) {
        server.api().applyYaml(job("ahead", false, null));
        // the runs of the next five seconds exist before their fire time
        await().atMost(Duration.ofSeconds(10)).until(() -> runs(server.api(), "ahead").size() >= 5);
      }
      Thread.sleep(3_000);
      try (TestServer server = state.start(Duration.ofSeconds(5))) {
        ApiClient api = server.api();
        await()
            .atMost(Duration.ofSeconds(15))
            .until(() -> count(runs(api, "ahead"), "SUCCEEDED") >= 8);
        List<JsonNode> runs = runs(api, "ahead");
        assertThat(count(runs, "MISSED")).isZero();
        assertConsecutiveSeconds(runs);
        // none started before its fire time
        for (JsonNode r : runs) {
          if (r.hasNonNull("startedAt")) {
            assertThat(java.time.Instant.parse(r.get("startedAt").asText()))
                .isAfterOrEqualTo(java.time.Instant.parse(r.get("fireTime").asText()));
          }
        }
      }
    }
  }
}
