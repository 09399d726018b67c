package dev.kairos.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kairos.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kairos command against a real `kairos up` process. */
class CliIT {
  @TempDir static Path dir;
  static KairosProcess kairos;
  static Path state;

  @BeforeAll
  static void start() throws Exception {
    state = dir.resolve("state");
    kairos = KairosProcess.up(state).start();
  }

  @AfterAll
  static void stop() throws Exception {
    kairos.close();
  }

  record Result(int code, String out, String err) {}

  static Result kairos(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    List<String> all = new ArrayList<>(List.of(args));
    if (!all.isEmpty() && !all.get(0).equals("--help")) {
      all.add("--state-dir");
      all.add(state.toString());
    }
    int code = Main.run(all.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err));
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  void adminTokenIsPrivateToItsOwnerAndTheServerUrlIsRecorded() throws Exception {
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(state.resolve("admin.token"))))
        .isEqualTo("rw-------");
    assertThat(Files.readString(state.resolve("server.url")).trim()).isEqualTo(kairos.url());
  }

  @Test
  void applyTriggerAndReadTheResultAsAPersonWould() throws Exception {
    Result apply = kairos("apply", "-f", "../examples/hello.yaml");
    assertThat(apply.code()).as(apply.err()).isZero();
    assertThat(apply.out()).contains("job default/hello");

    Result jobs = kairos("get", "jobs");
    assertThat(jobs.out()).startsWith("NAMESPACE  NAME").contains("hello").contains("* * * * *");

    Result run = kairos("trigger", "hello", "--wait");
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out()).contains("State:     SUCCEEDED");
    String id =
        run.out()
            .lines()
            .filter(l -> l.startsWith("Run:"))
            .findFirst()
            .orElseThrow()
            .substring(4)
            .trim();

    assertThat(kairos("logs", id).out())
        .contains("--- attempt 1 (task main) ---")
        .contains("Hello from the Kairos scheduler");
    assertThat(kairos("runs", "hello").out()).contains("ID").contains("SUCCEEDED");
    JsonNode json = new ObjectMapper().readTree(kairos("runs", "hello", "-o", "json").out());
    assertThat(json.get("items").get(0).get("state").asText()).isEqualTo("SUCCEEDED");
    assertThat(kairos("suspend", "hello").out()).contains("suspended");
    assertThat(kairos("resume", "hello").out()).contains("resumed");
  }

  @Test
  void failuresGiveOneLineReasonsAndNonZeroExitCodes() throws Exception {
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(
        bad,
        "apiVersion: kairos.dev/v1\nkind: Job\nmetadata: {name: bad}\nspec:\n  schedule: \"61 * * * *\"\n  task: {empty: {}}\n");
    Result r = kairos("apply", "-f", bad.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err())
        .isEqualTo("kairos: spec.schedule: \"61 * * * *\": minute 61 is out of range 0-59\n");

    Result missing = kairos("run", "424242");
    assertThat(missing.code()).isEqualTo(1);
    assertThat(missing.err()).isEqualTo("kairos: run 424242 not found\n");

    Result down = kairos("get", "jobs", "--server", "http://127.0.0.1:1");
    assertThat(down.code()).isEqualTo(1);
    assertThat(down.err()).contains("cannot reach the Kairos server at http://127.0.0.1:1");

    Result token = kairos("get", "jobs", "--token", "kairos_wrong");
    assertThat(token.err()).contains("rejected the token");
    assertThat(token.err()).doesNotContain("Exception").doesNotContain("\tat ");

    assertThat(kairos("frobnicate").code()).isEqualTo(2);
  }

  @Test
  void helpListsEveryCommand() {
    Result help = kairos("--help");
    assertThat(help.out())
        .contains(
            "up", "server", "apply", "get", "runs", "run", "logs", "trigger", "cancel", "suspend",
            "resume", "bench");
  }
}
