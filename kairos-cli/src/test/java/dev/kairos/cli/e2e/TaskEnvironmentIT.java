package dev.kairos.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a task can see of the worker that runs it (issue 19, cases 4 and 5): a real {@code kairos
 * worker} process started as deploy/keda's manifest starts it, with its token and an http signing
 * key in its environment, beside a deploy token meant for one job. A task's process sees none of
 * them, only the allow-list and what the worker passes with {@code --pass-env}; a secret's {@code
 * fromEnv} may name only a passed variable; a secret file holding a NUL byte fails the attempt with
 * a reason that names the variable and shows nothing of the value.
 */
class TaskEnvironmentIT {
  @TempDir Path dir;

  @Test
  void aTaskSeesOnlyTheAllowListAndWhatTheWorkerPasses() throws Exception {
    Path state = dir.resolve("state");
    Path secretFile = dir.resolve("nul-secret");
    Files.write(secretFile, "before\0sec-ret-after-nul".getBytes(StandardCharsets.UTF_8));
    try (KairosProcess server = KairosProcess.server(state).start()) {
      String workerToken = Files.readString(state.resolve("worker.token")).trim();
      Map<String, String> env =
          Map.of(
              "KAIROS_WORKER_TOKEN", workerToken,
              "KAIROS_HTTP_SIGNING_KEY", "signing-key-4f1c9a",
              "DEPLOY_TOKEN", "deploy-token-77d2e1",
              "TEAM_REGION", "eu-west-1");
      try (WorkerProcess worker =
          WorkerProcess.start(
              server.url(), state, dir.resolve("w.log"), env, "--pass-env", "TEAM_*")) {
        JsonNode seen = runToEnd(server, "env-dump", "shell: {command: \"env | sort\"}");
        assertThat(seen.get("state").asText()).as(seen.toString()).isEqualTo("SUCCEEDED");
        String logs = logs(server, seen.get("id").asLong());
        assertThat(logs)
            .contains("TEAM_REGION=eu-west-1")
            .contains("PATH=")
            .contains("KAIROS_ATTEMPT=1")
            .doesNotContain(workerToken)
            .doesNotContain("signing-key-4f1c9a")
            .doesNotContain("deploy-token-77d2e1")
            .doesNotContain("KAIROS_WORKER_TOKEN")
            .doesNotContain("DEPLOY_TOKEN");

        JsonNode unpassed =
            runToEnd(
                server,
                "from-env",
                "shell: {command: \"echo $TOKEN\", env: {TOKEN: {fromEnv: DEPLOY_TOKEN}}}");
        assertThat(unpassed.get("state").asText()).isEqualTo("FAILED");
        assertThat(unpassed.toString())
            .contains("does not pass the environment variable DEPLOY_TOKEN")
            .contains("--pass-env DEPLOY_TOKEN")
            .doesNotContain("deploy-token-77d2e1");

        JsonNode nul =
            runToEnd(
                server,
                "nul-file",
                "shell: {command: \"echo $KEY\", env: {KEY: {fromFile: \"" + secretFile + "\"}}}");
        assertThat(nul.get("state").asText()).isEqualTo("FAILED");
        assertThat(nul.toString())
            .contains("secret KEY: its value holds a NUL byte")
            .doesNotContain("sec-ret-after-nul");
        assertThat(worker.log()).doesNotContain("sec-ret-after-nul");
      }
    }
  }

  private JsonNode runToEnd(KairosProcess server, String name, String task) throws Exception {
    String job =
        """
        apiVersion: kairos.dev/v1
        kind: Job
        metadata: {name: %s}
        spec:
          task:
            %s
        """
            .formatted(name, task);
    KairosProcess.Response applied = server.call("PUT", "/api/v1/jobs", job);
    assertThat(applied.status()).as(applied.body().toString()).isEqualTo(201);
    long run =
        server
            .call("POST", "/api/v1/jobs/default/" + name + "/runs", null)
            .body()
            .get("id")
            .asLong();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> !server.get("/api/v1/runs/" + run).get("state").asText().endsWith("ING"));
    return server.get("/api/v1/runs/" + run);
  }

  private static String logs(KairosProcess server, long run) throws Exception {
    StringBuilder text = new StringBuilder();
    server
        .get("/api/v1/runs/" + run + "/logs")
        .get("items")
        .forEach(l -> text.append(l.get("text").asText()).append('\n'));
    return text.toString();
  }
}
