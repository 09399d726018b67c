package dev.kairos.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code kairos apply} refuses before it sends anything (no server: nothing is sent). */
class ApplyCommandTest {
  @TempDir Path dir;

  record Result(int code, String out, String err) {}

  static Result apply(String file) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Main.run(
            new String[] {"apply", "-f", file, "--server", "http://127.0.0.1:1", "--token", "t"},
            new PrintWriter(out),
            new PrintWriter(err));
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  void anEndlessFileIsReadNoFurtherThanTheCap() {
    // apply -f /dev/zero ran the CLI out of memory
    Result r = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> apply("/dev/zero"));
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err())
        .isEqualTo(
            "kairos: invalid input, nothing applied\n"
                + "  --file: \"/dev/zero\": is more than 16Mi (16777216 bytes); apply reads at"
                + " most that much: split it into several files\n");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void aFileThatIsNotYamlOrHasAKeyTwiceIsRefusedWholeNamingWhere() throws Exception {
    Path twice = dir.resolve("twice.yaml");
    Files.writeString(
        twice,
        """
        apiVersion: kairos.dev/v1
        kind: Job
        metadata: {name: one}
        spec: {task: {empty: {}}}
        ---
        apiVersion: kairos.dev/v1
        kind: Job
        metadata: {name: two}
        spec:
          schedule: "0 2 * * *"
          task: {empty: {}}
          schedule: "0 3 * * *"
        """);
    Result r = apply(twice.toString());
    assertThat(r.code()).isEqualTo(1);
    // nothing was sent: the server in --server does not exist, and it was not needed
    assertThat(r.err())
        .isEqualTo(
            "kairos: invalid input, nothing applied\n"
                + "  spec.schedule: is given twice (again on line 12); a key may be given once\n");
    Path empty = dir.resolve("empty.yaml");
    Files.writeString(empty, "---\n# nothing\n");
    assertThat(apply(empty.toString()).err())
        .isEqualTo(
            "kairos: invalid input, nothing applied\n"
                + "  --file: \""
                + empty
                + "\": holds no manifest\n");
  }
}
