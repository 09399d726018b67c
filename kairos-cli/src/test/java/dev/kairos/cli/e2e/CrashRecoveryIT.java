package dev.kairos.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of `kairos up` while an attempt runs, then a restart on the same state dir: the
 * interrupted attempt is retried after its lease expires, cron fires resume, and what was
 * acknowledged before the crash (runs, logs) is still there.
 */
class CrashRecoveryIT {
  @TempDir Path dir;

  static final String SLOW_JOB =
      """
      apiVersion: kairos.dev/v1
      kind: Job
      metadata: {name: slow}
      spec:
        retryPolicy: {maxRetries: 2, initialInterval: 1s}
        task:
          shell:
            command: echo "started attempt $KAIROS_ATTEMPT"; sleep 4; echo "finished attempt $KAIROS_ATTEMPT"
      """;

  static final String TICK_JOB =
      """
      apiVersion: kairos.dev/v1
      kind: Job
      metadata: {name: tick}
      spec:
        schedule: "*/2 * * * * *"
        catchup: false
        task: {empty: {}}
      """;

  @Test
  void killedServerRetriesInterruptedAttemptAndResumesSchedules() throws Exception {
    Path state = dir.resolve("state");
    KairosProcess first = KairosProcess.up(state, "--lease", "3s").start();
    long runId;
    long logsBefore;
    int tickRunsBefore;
    try {
      assertThat(first.call("PUT", "/api/v1/jobs", SLOW_JOB).status()).isEqualTo(201);
      assertThat(first.call("PUT", "/api/v1/jobs", TICK_JOB).status()).isEqualTo(201);
      runId = first.call("POST", "/api/v1/jobs/default/slow/runs", null).body().get("id").asLong();
      // wait until the attempt has started and its first output is acknowledged
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> first.get("/api/v1/runs/" + runId + "/logs").get("items").size() > 0);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () -> first.get("/api/v1/runs?job=default/tick&limit=100").get("items").size() >= 1);
      logsBefore = first.get("/api/v1/runs/" + runId + "/logs").get("items").size();
      tickRunsBefore = first.get("/api/v1/runs?job=default/tick&limit=1000").get("items").size();
      first.kill9();
    } finally {
      first.close();
    }

    try (KairosProcess second = KairosProcess.up(state, "--lease", "3s")) {
      Instant restarted = Instant.now();
      second.start();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> second.get("/api/v1/runs/" + runId).get("state").asText().equals("SUCCEEDED"));
      JsonNode run = second.get("/api/v1/runs/" + runId);
      JsonNode attempts = run.get("attempts");
      assertThat(attempts.get(0).get("state").asText()).isEqualTo("LOST");
      assertThat(attempts.get(0).get("error").asText()).contains("lease expired");
      assertThat(attempts.get(attempts.size() - 1).get("state").asText()).isEqualTo("SUCCEEDED");

      String logs = second.get("/api/v1/runs/" + runId + "/logs").get("items").toString();
      assertThat(logs).contains("started attempt 1").contains("finished attempt 2");
      assertThat(second.get("/api/v1/runs/" + runId + "/logs").get("items").size())
          .isGreaterThan((int) logsBefore);

      // the schedule resumed: new fires after the restart, and no fire time twice
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> {
            JsonNode items = second.get("/api/v1/runs?job=default/tick&limit=1000").get("items");
            for (JsonNode r : items) {
              if (r.get("state").asText().equals("SUCCEEDED")
                  && Instant.parse(r.get("fireTime").asText()).isAfter(restarted)) {
                return true;
              }
            }
            return false;
          });
      JsonNode ticks = second.get("/api/v1/runs?job=default/tick&limit=1000").get("items");
      assertThat(ticks.size()).isGreaterThan(tickRunsBefore);
      java.util.Set<String> fireTimes = new java.util.HashSet<>();
      for (JsonNode r : ticks) {
        assertThat(fireTimes.add(r.get("fireTime").asText())).as("duplicate fire " + r).isTrue();
      }
    }
  }
}
