package dev.kairos.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kairos.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kairos token rotate-admin} (issue 19, case 6: after deleting admin.token and restarting,
 * the old token still worked): the admin token gets a new secret, written to admin.token; the old
 * one stops working; a restarted server keeps the new one.
 */
class TokenRotationIT {
  @TempDir Path dir;

  record Result(int code, String out, String err) {}

  Result kairos(Path state, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--state-dir";
    all[args.length + 1] = state.toString();
    int code = Main.run(all, new PrintWriter(out), new PrintWriter(err));
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  void rotateAdminReplacesTheTokenInItsFileAndTheOldOneStopsWorking() throws Exception {
    Path state = dir.resolve("state");
    try (KairosProcess server = KairosProcess.server(state).start()) {
      String old = Files.readString(state.resolve("admin.token")).trim();

      // --server: the server writes server.url just after it starts listening, so a call the
      // moment it is healthy may not find the file yet
      String url = server.url();
      Result rotated = kairos(state, "token", "rotate-admin", "--server", url);

      assertThat(rotated.code()).as(rotated.err()).isZero();
      assertThat(rotated.out()).contains("admin token rotated");
      String fresh = Files.readString(state.resolve("admin.token")).trim();
      assertThat(fresh).isNotEqualTo(old).hasSizeGreaterThan(30);
      assertThat(
              PosixFilePermissions.toString(
                  Files.getPosixFilePermissions(state.resolve("admin.token"))))
          .isEqualTo("rw-------");
      await()
          .atMost(Duration.ofSeconds(3))
          .until(() -> kairos(state, "runs", "--token", old, "--server", url).code() != 0);
      assertThat(kairos(state, "runs", "--server", url).code()).isZero();
    }
    // a restarted server registers the token its file holds: the new one
    try (KairosProcess server = KairosProcess.server(state).start()) {
      Result runs = kairos(state, "runs", "--server", server.url());
      assertThat(runs.code()).as(runs.err()).isZero();
      assertThat(kairos(state, "token", "list", "--server", server.url()).out())
          .containsPattern("admin\\s+admin");
    }
  }
}
