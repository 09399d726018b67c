package dev.kairos.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `kairos server` and two `kairos worker` processes: attempts run in the workers over HTTP, and
 * when the worker running one is killed with SIGKILL, another worker runs the retry once the lease
 * has expired.
 */
class RemoteWorkerIT {
  @TempDir Path dir;

  static final String JOB =
      """
      apiVersion: kairos.dev/v1
      kind: Job
      metadata: {name: remote}
      spec:
        retryPolicy: {maxRetries: 2, initialInterval: 1s}
        task:
          shell:
            command: echo "attempt $KAIROS_ATTEMPT"; sleep 3; echo "done $KAIROS_ATTEMPT"
      """;

  @Test
  void aKilledWorkersAttemptIsRetriedByAnotherWorker() throws Exception {
    Path state = dir.resolve("state");
    try (KairosProcess server = KairosProcess.server(state, "--lease", "3s").start();
        WorkerProcess w1 =
            WorkerProcess.start(server.url(), state, dir.resolve("w1.log"), "--heartbeat", "1s");
        WorkerProcess w2 =
            WorkerProcess.start(server.url(), state, dir.resolve("w2.log"), "--heartbeat", "1s")) {
      // the worker token can use the worker protocol and nothing else
      String workerToken = Files.readString(state.resolve("worker.token")).trim();
      assertThat(workerToken).isNotEqualTo(server.token());
      assertThat(server.call("PUT", "/api/v1/jobs", JOB).status()).isEqualTo(201);
      long run =
          server.call("POST", "/api/v1/jobs/default/remote/runs", null).body().get("id").asLong();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> server.get("/api/v1/runs/" + run).get("state").asText().equals("RUNNING"));
      String holder =
          server.get("/api/v1/runs/" + run).get("attempts").get(0).get("workerId").asText();
      WorkerProcess victim = holder.equals(w1.workerId()) ? w1 : w2;
      WorkerProcess survivor = victim == w1 ? w2 : w1;
      assertThat(holder).isIn(w1.workerId(), w2.workerId());
      victim.kill9();

      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> server.get("/api/v1/runs/" + run).get("state").asText().equals("SUCCEEDED"));
      JsonNode attempts = server.get("/api/v1/runs/" + run).get("attempts");
      assertThat(attempts.get(0).get("state").asText()).as(attempts.toString()).isEqualTo("LOST");
      // (a long poll the dead worker left open on the server may still claim the first retry;
      // that attempt is then lost by lease expiry too, exactly as if the worker had died later)
      JsonNode last = attempts.get(attempts.size() - 1);
      assertThat(last.get("state").asText()).isEqualTo("SUCCEEDED");
      assertThat(last.get("workerId").asText()).isEqualTo(survivor.workerId());
      assertThat(server.get("/api/v1/runs/" + run + "/logs").toString())
          .contains("done " + last.get("attempt").asInt());
    }
  }

  static final String SLOW_JOB =
      """
      apiVersion: kairos.dev/v1
      kind: Job
      metadata: {name: slow}
      spec:
        task:
          shell: {command: "sleep 5; echo done on $KAIROS_ATTEMPT"}
      """;

  static final String PASSING =
      """
      apiVersion: kairos.dev/v1
      kind: Job
      metadata: {name: passing}
      spec:
        tasks:
          - name: extract
            shell:
              command: echo rows=42 >> "$KAIROS_OUTPUT"; echo 'where=$(id); x' >> "$KAIROS_OUTPUT"
          - name: load
            dependsOn: [extract]
            shell:
              command: echo "rows $KAIROS_IN_EXTRACT_ROWS where $KAIROS_IN_EXTRACT_WHERE"; cat "$KAIROS_INPUT"
      """;

  @Test
  void aDownstreamTaskOnARemoteWorkerReadsItsUpstreamsOutputs() throws Exception {
    Path state = dir.resolve("state4");
    try (KairosProcess server = KairosProcess.server(state).start();
        WorkerProcess worker = WorkerProcess.start(server.url(), state, dir.resolve("w4.log"))) {
      assertThat(server.call("PUT", "/api/v1/jobs", PASSING).status()).isEqualTo(201);
      long run =
          server.call("POST", "/api/v1/jobs/default/passing/runs", null).body().get("id").asLong();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> !server.get("/api/v1/runs/" + run).get("state").asText().endsWith("ING"));
      JsonNode done = server.get("/api/v1/runs/" + run);
      assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
      assertThat(done.at("/attempts/0/outputs").toString())
          .isEqualTo("{\"rows\":\"42\",\"where\":\"$(id); x\"}");
      StringBuilder logs = new StringBuilder();
      server
          .get("/api/v1/runs/" + run + "/logs")
          .get("items")
          .forEach(l -> logs.append(l.get("text").asText()).append('\n'));
      // the value reaches the command as data: $(id) is not run
      assertThat(logs.toString())
          .contains("rows 42 where $(id); x")
          .contains("{\"extract\":{\"rows\":\"42\",\"where\":\"$(id); x\"}}");
    }
  }

  @Test
  void aWorkerDeclaringClusterCapacityAndLabelsRunsWorkAtTheServersHeartbeat() throws Exception {
    Path state = dir.resolve("state3");
    // a 3s lease is renewed every second; a worker that kept to its own 5s would lose the attempt
    try (KairosProcess server = KairosProcess.server(state, "--lease", "3s").start();
        WorkerProcess worker =
            WorkerProcess.start(
                server.url(),
                state,
                dir.resolve("w3.log"),
                "--cluster",
                "east",
                "--capacity",
                "cpu=500m,memory=1Gi,slots=2",
                "--label",
                "zone=eu-1a",
                "--label",
                "kairos.dev/tier=batch",
                "--grace",
                "5s")) {
      assertThat(worker.log())
          .contains("in cluster east with cpu=500m,memory=1Gi,slots=2")
          .contains("kairos.dev/tier=batch, zone=eu-1a");
      assertThat(server.call("PUT", "/api/v1/jobs", SLOW_JOB).status()).isEqualTo(201);
      long run =
          server.call("POST", "/api/v1/jobs/default/slow/runs", null).body().get("id").asLong();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> server.get("/api/v1/runs/" + run).get("state").asText().equals("SUCCEEDED"));
      JsonNode attempts = server.get("/api/v1/runs/" + run).get("attempts");
      assertThat(attempts).hasSize(1);
      assertThat(attempts.get(0).get("workerId").asText()).isEqualTo(worker.workerId());
      assertThat(server.get("/api/v1/runs/" + run + "/logs").toString()).contains("done on 1");
    }
  }

  @Test
  void aWorkerTokenCannotUseTheAdminApi() throws Exception {
    Path state = dir.resolve("state2");
    try (KairosProcess server = KairosProcess.server(state).start()) {
      String workerToken = Files.readString(state.resolve("worker.token")).trim();
      var http = java.net.http.HttpClient.newHttpClient();
      var request =
          java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.url() + "/api/v1/jobs"))
              .header("Authorization", "Bearer " + workerToken)
              .build();
      var response = http.send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(403);
      assertThat(response.body())
          .contains("token 'local-worker' (worker) may not GET /api/v1/jobs")
          .contains("it needs read");
    }
  }
}
