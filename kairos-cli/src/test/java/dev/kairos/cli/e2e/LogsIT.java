package dev.kairos.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `kairos up --log-format json`: structured lines with attempt ids, and never a secret. */
class LogsIT {
  @TempDir Path dir;

  @Test
  void jsonLogsCarryAttemptIdsAndNoTokenOrSecret() throws Exception {
    Path state = dir.resolve("state");
    try (KairosProcess kairos = KairosProcess.up(state, "--log-format", "json").start()) {
      assertThat(
              kairos.apply(
                  """
                  apiVersion: kairos.dev/v1
                  kind: Job
                  metadata: {name: leaky}
                  spec:
                    task:
                      shell:
                        command: 'echo "using $DB_PASS" >&2; exit 4'
                        env: {DB_PASS: {secret: true, value: v3ry-s3cr3t-value}}
                  """))
          .isEqualTo(201);
      long run =
          kairos.call("POST", "/api/v1/jobs/default/leaky/runs", null).body().get("id").asLong();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> kairos.log().contains("attempt ended state=FAILED"));
      ObjectMapper json = new ObjectMapper();
      List<JsonNode> lines = new ArrayList<>();
      for (String line : kairos.log().split("\n")) {
        // stdout (the banner) shares the file; every log line is one JSON object
        assertThat(line).doesNotContainPattern("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} (INFO|WARN|ERROR)");
        if (line.startsWith("{")) {
          lines.add(json.readTree(line));
        }
      }
      assertThat(lines)
          .isNotEmpty()
          .allSatisfy(l -> {
            assertThat(l.has("level")).isTrue();
            assertThat(l.has("timestamp")).isTrue();
            assertThat(l.has("formattedMessage")).isTrue();
          });
      JsonNode ended =
          lines.stream()
              .filter(
                  l -> l.get("formattedMessage").asText().startsWith("attempt ended state=FAILED"))
              .findFirst()
              .orElseThrow();
      assertThat(ended.at("/mdc/run").asText()).isEqualTo(String.valueOf(run));
      assertThat(ended.at("/mdc/job").asText()).isEqualTo("default/leaky");
      assertThat(ended.at("/mdc/task").asText()).isEqualTo("main");
      assertThat(ended.at("/mdc/attempt").asText()).isNotBlank();
      String log = kairos.log();
      assertThat(log)
          .doesNotContain(Files.readString(state.resolve("admin.token")).trim())
          .doesNotContain(Files.readString(state.resolve("worker.token")).trim())
          .doesNotContain("v3ry-s3cr3t-value");
      // the task's own log shows the mask
      assertThat(kairos.get("/api/v1/runs/" + run + "/logs").toString())
          .contains("using ***")
          .doesNotContain("v3ry-s3cr3t-value");
    }
  }
}
