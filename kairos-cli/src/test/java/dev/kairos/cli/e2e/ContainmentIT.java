package dev.kairos.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kairos.prerequisites.Processes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker killed with SIGKILL takes its attempts' processes with it: none is alive when the retry
 * starts, so a retry never runs beside the attempt it replaces. Each attempt starts a process in
 * the background, one outside its process group ({@code setsid}) and one in the foreground; each is
 * a {@code sleep} whose argument names the test, the attempt number and the process, so that the
 * first attempt's processes are found through {@code /proc} while the retry's run.
 */
class ContainmentIT {
  @TempDir Path dir;

  /** Five digits naming this test's processes among everything else on the machine. */
  final String tag = String.valueOf(10_000 + ThreadLocalRandom.current().nextInt(90_000));

  String job() {
    return """
    apiVersion: kairos.dev/v1
    kind: Job
    metadata: {name: contained}
    spec:
      retryPolicy: {maxRetries: 3, initialInterval: 1s}
      task:
        shell:
          command: >-
            sleep 1${KAIROS_ATTEMPT}%s1 & (setsid sleep 1${KAIROS_ATTEMPT}%s2 &);
            echo "attempt $KAIROS_ATTEMPT"; sleep 1${KAIROS_ATTEMPT}%s3
    """
        .formatted(tag, tag, tag);
  }

  /** The processes an attempt starts, by their sleep arguments. */
  List<String> sleeps(int attempt) {
    return List.of(1, 2, 3).stream().map(p -> "1" + attempt + tag + p).toList();
  }

  boolean anyAlive(int attempt) {
    return sleeps(attempt).stream().anyMatch(s -> !Processes.running("sleep", s).isEmpty());
  }

  boolean allAlive(int attempt, int runs) {
    return sleeps(attempt).stream().allMatch(s -> Processes.running("sleep", s).size() == runs);
  }

  @AfterEach
  void killWhatATestLeft() {
    for (int attempt = 1; attempt <= 4; attempt++) {
      sleeps(attempt).forEach(s -> Processes.kill("sleep", s));
    }
  }

  /** Triggers two runs and waits until both first attempts run all their processes. */
  long[] twoRunsRunning(KairosProcess server) throws Exception {
    assertThat(server.apply(job())).isEqualTo(201);
    long[] runs = new long[2];
    for (int i = 0; i < 2; i++) {
      runs[i] =
          server
              .call("POST", "/api/v1/jobs/default/contained/runs", null)
              .body()
              .get("id")
              .asLong();
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> allAlive(1, 2));
    return runs;
  }

  /** Waits until every run has a retry running, then checks that no first attempt lives on. */
  void retriesRunAlone(KairosProcess server, long[] runs) {
    for (long run : runs) {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> {
            JsonNode attempts = server.get("/api/v1/runs/" + run).get("attempts");
            JsonNode last = attempts.get(attempts.size() - 1);
            return last.get("attempt").asInt() > 1 && last.get("state").asText().equals("RUNNING");
          });
      assertThat(anyAlive(1))
          .as("a first attempt's process beside the retry of run %d", run)
          .isFalse();
    }
  }

  @Test
  void aWorkerProcessKilledWithSigkillTakesItsAttemptsProcessesWithIt() throws Exception {
    Path state = dir.resolve("state");
    try (KairosProcess server = KairosProcess.server(state, "--lease", "3s").start()) {
      long[] runs;
      try (WorkerProcess first =
          WorkerProcess.start(server.url(), state, dir.resolve("w1.log"), "--heartbeat", "1s")) {
        runs = twoRunsRunning(server);
        first.kill9();
      }
      // before any other worker starts on this host (which would clean up after it)
      await().atMost(Duration.ofSeconds(5)).until(() -> !anyAlive(1));
      try (WorkerProcess second =
          WorkerProcess.start(server.url(), state, dir.resolve("w2.log"), "--heartbeat", "1s")) {
        retriesRunAlone(server, runs);
        // the check can see processes: the retries' own are there (a retry the dead worker's open
        // long poll claimed is lost in turn, so a run may be on its third attempt)
        assertThat(anyAlive(2) || anyAlive(3)).as("the retries' own processes run").isTrue();
      }
    }
  }

  @Test
  void killingKairosUpWithSigkillTakesItsAttemptsProcessesWithIt() throws Exception {
    Path state = dir.resolve("state");
    long[] runs;
    try (KairosProcess first = KairosProcess.up(state, "--lease", "3s").start()) {
      runs = twoRunsRunning(first);
      first.kill9();
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> !anyAlive(1));
    try (KairosProcess second = KairosProcess.up(state, "--lease", "3s").start()) {
      retriesRunAlone(second, runs);
    }
  }
}
