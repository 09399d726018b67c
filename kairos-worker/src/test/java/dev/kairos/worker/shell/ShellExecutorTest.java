package dev.kairos.worker.shell;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kairos.core.protocol.Assignment;
import dev.kairos.core.protocol.LogChunk;
import dev.kairos.core.spec.Resources;
import dev.kairos.core.spec.RetryPolicy;
import dev.kairos.core.spec.SecretEnv;
import dev.kairos.core.spec.ShellSpec;
import dev.kairos.core.spec.TaskSpec;
import dev.kairos.worker.WorkerConfig;
import dev.kairos.worker.contain.Containment;
import dev.kairos.worker.executor.ExecutionContext;
import dev.kairos.worker.executor.LogBuffer;
import dev.kairos.worker.executor.Outcome;
import dev.kairos.worker.limits.LimitEnforcer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShellExecutorTest {
  @TempDir Path work;
  final List<LogChunk> chunks = new CopyOnWriteArrayList<>();
  static final Containment CONTAINMENT = Containment.start(WorkerConfig.defaults().stateDir());
  static final LimitEnforcer LIMITS = LimitEnforcer.detect("shell-test");
  final ShellExecutor shell = new ShellExecutor(Duration.ofSeconds(2), LIMITS, CONTAINMENT);

  @org.junit.jupiter.api.AfterAll
  static void removeCgroups() {
    CONTAINMENT.close();
    LIMITS.close();
  }

  Assignment assignment(ShellSpec spec, Duration timeout) {
    TaskSpec task =
        new TaskSpec("main", List.of(), spec, RetryPolicy.NONE, timeout, 0, Resources.NONE);
    return new Assignment(42, 7, "default", "job", 1, task, "default/job/7/main", Instant.now(), 0);
  }

  ExecutionContext context(Map<String, String> env) {
    return new ExecutionContext(env, new LogBuffer(42, 1024 * 1024, chunks::add), work);
  }

  String output(String stream) {
    return chunks.stream()
        .filter(c -> c.stream().equals(stream))
        .map(LogChunk::text)
        .collect(Collectors.joining());
  }

  static ShellSpec sh(String command) {
    return new ShellSpec(command, List.of(), Map.of(), null);
  }

  @Test
  void aTaskPublishesOutputsThroughItsOutputFile() throws Exception {
    Outcome o =
        shell.execute(
            assignment(
                sh(
                    "echo '# a comment' >> \"$KAIROS_OUTPUT\"; echo rows=42 >> \"$KAIROS_OUTPUT\";"
                        + " echo 'note=a = b; $(rm -rf /)' >> \"$KAIROS_OUTPUT\""),
                null),
            context(Map.of()));
    assertThat(o)
        .isEqualTo(new Outcome.Succeeded(Map.of("rows", "42", "note", "a = b; $(rm -rf /)")));
    // the files live beside the working directory and are removed with it
    try (var files = java.nio.file.Files.list(work)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void badOutputFailsTheAttemptSayingWhichLine() throws Exception {
    Outcome o =
        shell.execute(
            assignment(sh("printf 'ok=1\\nnot a pair\\n' > \"$KAIROS_OUTPUT\""), null),
            context(Map.of()));
    assertThat(o).isInstanceOf(Outcome.Failed.class);
    assertThat(((Outcome.Failed) o).error())
        .startsWith("$KAIROS_OUTPUT line 2 (not a pair) is not key=value");
    Outcome big =
        shell.execute(
            assignment(
                sh("head -c 20000 /dev/zero | tr '\\0' x | sed 's/^/k=/' > \"$KAIROS_OUTPUT\""),
                null),
            context(Map.of()));
    assertThat(((Outcome.Failed) big).error()).contains("a task may publish at most 16,384 bytes");
  }

  @Test
  void upstreamOutputsArriveAsVariablesAndAsJson() throws Exception {
    String hostile = "$(touch " + work.resolve("pwned") + ")";
    Assignment a =
        assignment(
                sh(
                    "printf '%s|%s|' \"$KAIROS_IN_EXTRACT_ROWS\" \"$KAIROS_IN_MY_STEP_X\"; cat \"$KAIROS_INPUT\""),
                null)
            .withInputs(Map.of("extract", Map.of("rows", "42"), "my-step", Map.of("x", hostile)));
    Outcome o = shell.execute(a, context(Map.of()));
    assertThat(o).isInstanceOf(Outcome.Succeeded.class);
    String out = output("stdout");
    assertThat(out).startsWith("42|" + hostile + "|");
    assertThat(
            new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(out.substring(out.indexOf('{'))))
        .isEqualTo(
            new com.fasterxml.jackson.databind.ObjectMapper()
                .valueToTree(
                    Map.of("extract", Map.of("rows", "42"), "my-step", Map.of("x", hostile))));
    assertThat(work.resolve("pwned")).doesNotExist();
  }

  @Test
  void capturesStdoutAndStderrAndSucceedsOnExitZero() throws Exception {
    Outcome o =
        shell.execute(
            assignment(sh("echo out1; echo err1 >&2; echo out2"), null), context(Map.of()));
    assertThat(o).isInstanceOf(Outcome.Succeeded.class);
    assertThat(output("stdout")).isEqualTo("out1\nout2\n");
    assertThat(output("stderr")).isEqualTo("err1\n");
    assertThat(chunks).extracting(LogChunk::seq).doesNotHaveDuplicates();
  }

  @Test
  void nonZeroExitFailsWithTheCodeAndLastErrorLine() throws Exception {
    Outcome o = shell.execute(assignment(sh("echo boom >&2; exit 3"), null), context(Map.of()));
    assertThat(o).isEqualTo(new Outcome.Failed(3, "exit code 3: boom"));
  }

  @Test
  void environmentCarriesSpecAndKairosVariablesAndUserDataStaysData() throws Exception {
    String hostile = "$(touch " + work.resolve("pwned") + "); `id`; rm -rf /nothing";
    ShellSpec spec =
        new ShellSpec(
            "printf '%s|%s|%s' \"$MODE\" \"$KAIROS_RUN_ID\" \"$PAYLOAD\"",
            List.of(), Map.of("MODE", "full", "PAYLOAD", hostile), null);
    Outcome o = shell.execute(assignment(spec, null), context(Map.of("KAIROS_RUN_ID", "7")));
    assertThat(o).isInstanceOf(Outcome.Succeeded.class);
    assertThat(output("stdout")).isEqualTo("full|7|" + hostile + "\n");
    assertThat(work.resolve("pwned")).doesNotExist();
  }

  @Test
  void argsRunWithoutAShell() throws Exception {
    ShellSpec spec = new ShellSpec("/bin/echo", List.of("a b", "$HOME", ";ls"), Map.of(), null);
    shell.execute(assignment(spec, null), context(Map.of()));
    assertThat(output("stdout")).isEqualTo("a b $HOME ;ls\n");
  }

  @Test
  void runsInTheGivenWorkingDirectoryOrAFreshOne() throws Exception {
    Path dir = Files.createDirectory(work.resolve("given"));
    shell.execute(
        assignment(new ShellSpec("pwd", List.of(), Map.of(), dir.toString()), null),
        context(Map.of()));
    assertThat(output("stdout").trim()).isEqualTo(dir.toRealPath().toString());
    chunks.clear();
    shell.execute(assignment(sh("pwd; touch left-behind"), null), context(Map.of()));
    assertThat(output("stdout").trim()).endsWith("attempt-42");
    assertThat(work.resolve("attempt-42")).doesNotExist();
  }

  @Test
  void missingWorkingDirectoryFailsClearly() throws Exception {
    Outcome o =
        shell.execute(
            assignment(new ShellSpec("true", List.of(), Map.of(), "/no/such/dir"), null),
            context(Map.of()));
    assertThat(o).isInstanceOf(Outcome.Failed.class);
    assertThat(((Outcome.Failed) o).error()).contains("/no/such/dir").contains("does not exist");
  }

  @Test
  void timeoutKillsTheWholeProcessTree() throws Exception {
    String marker = "kairos-test-" + System.nanoTime();
    String cmd =
        "sleep 300 & bash -c \"bash -c 'exec -a " + marker + " sleep 300'\" & echo started; wait";
    Outcome o = shell.execute(assignment(sh(cmd), Duration.ofMillis(700)), context(Map.of()));
    assertThat(o).isEqualTo(new Outcome.TimedOut("timed out after 700ms"));
    assertThat(output("stdout")).contains("started");
    assertNoProcess(marker);
  }

  @Test
  void cancelKillsTheTreeAndReportsCancelled() throws Exception {
    String marker = "kairos-cancel-" + System.nanoTime();
    ExecutionContext ctx = context(Map.of());
    Thread.ofVirtual()
        .start(() -> {
          try {
            Thread.sleep(500);
          } catch (InterruptedException e) {
            return;
          }
          ctx.cancel();
        });
    Outcome o =
        shell.execute(
            assignment(sh("bash -c 'exec -a " + marker + " sleep 300' & wait"), null), ctx);
    assertThat(o).isInstanceOf(Outcome.Cancelled.class);
    assertNoProcess(marker);
  }

  static void assertNoProcess(String marker) throws IOException, InterruptedException {
    Process ps = new ProcessBuilder("pgrep", "-f", marker).start();
    ps.waitFor(5, TimeUnit.SECONDS);
    String found = new String(ps.getInputStream().readAllBytes()).trim();
    assertThat(found).as("processes still alive: %s", found).isEmpty();
  }

  @Test
  void outputBeyondTheCapIsTruncatedWithAMarker() throws Exception {
    ExecutionContext ctx =
        new ExecutionContext(Map.of(), new LogBuffer(42, 1000, chunks::add), work);
    shell.execute(assignment(sh("for i in $(seq 1 500); do echo line-$i; done"), null), ctx);
    String out = output("stdout");
    assertThat(out.length()).isLessThan(1100);
    assertThat(out).endsWith("[output truncated: more than 1000 bytes]\n");
  }

  @Test
  void aHugeLineWithoutABreakComesOutInBoundedLinesUpToTheCap() throws Exception {
    // 20 MB without a line break: read in pieces, never held whole (a 2.5 GB one ran the server out
    // of memory); what is kept stops at the cap, and the rest is read and dropped, so the task
    // neither blocks on a full pipe nor loses its last stderr line
    int cap = 1 << 20;
    ExecutionContext ctx =
        new ExecutionContext(Map.of(), new LogBuffer(42, cap, chunks::add), work);
    Outcome o =
        shell.execute(
            assignment(
                sh("head -c 20000000 /dev/zero | tr '\\0' a; echo; echo boom >&2; exit 3"), null),
            ctx);
    assertThat(o).isEqualTo(new Outcome.Failed(3, "exit code 3: boom"));
    String out = output("stdout");
    List<String> lines = out.lines().toList();
    assertThat(lines.size()).isGreaterThan(10);
    assertThat(lines.subList(0, lines.size() - 1))
        .allSatisfy(line -> assertThat(line).hasSize(LogBuffer.MAX_LINE).matches("a+"));
    assertThat(out.length()).isBetween(cap - LogBuffer.MAX_LINE, cap + 100);
    assertThat(out).endsWith("[output truncated: more than " + cap + " bytes]\n");
    assertThat(chunks)
        .allSatisfy(
            c -> assertThat(c.text().length()).isLessThanOrEqualTo(LogBuffer.MAX_LINE + 100));
  }

  @Test
  void secretsReachTheTaskAndAreMaskedInItsOutput() throws Exception {
    Path file = work.resolve("api-key");
    Files.writeString(file, "key-from-file-123\n");
    String path = System.getenv("PATH");
    ShellSpec spec =
        new ShellSpec(
            "echo \"pass=$DB_PASS key=$API_KEY path=$FROM_ENV plain=$MODE\";"
                + " echo \"failing with $DB_PASS\" >&2; exit 3",
            List.of(),
            Map.of("MODE", "full"),
            null,
            Map.of(
                "DB_PASS", new SecretEnv("s3cr3t-pass", null, null),
                "API_KEY", new SecretEnv(null, file.toString(), null),
                "FROM_ENV", new SecretEnv(null, null, "PATH")));
    Outcome o = shell.execute(assignment(spec, null), context(Map.of()));
    assertThat(output("stdout").trim()).isEqualTo("pass=*** key=*** path=*** plain=full");
    assertThat(output("stderr")).contains("failing with ***").doesNotContain("s3cr3t");
    assertThat(o).isInstanceOf(Outcome.Failed.class);
    assertThat(((Outcome.Failed) o).error()).doesNotContain("s3cr3t").doesNotContain(path);
  }

  @Test
  void aSecretTheWorkerCannotReadFailsTheAttemptNamingIt() throws Exception {
    ShellSpec spec =
        new ShellSpec(
            "echo never",
            List.of(),
            Map.of(),
            null,
            Map.of("TOKEN", new SecretEnv(null, "/nonexistent/token", null)));
    Outcome o = shell.execute(assignment(spec, null), context(Map.of()));
    assertThat(o).isInstanceOf(Outcome.Failed.class);
    assertThat(((Outcome.Failed) o).error())
        .isEqualTo(
            "secret TOKEN: cannot read /nonexistent/token on this worker (NoSuchFileException)");
    assertThat(output("stdout")).isEmpty();
  }

  @Test
  void aSecretFileWithoutEndIsReadNoFurtherThanAVariableHolds() throws Exception {
    // fromFile: /dev/zero was read whole: the worker (the server, under kairos up) ran out of
    // memory
    ShellSpec spec =
        new ShellSpec(
            "echo never",
            List.of(),
            Map.of(),
            null,
            Map.of("TOKEN", new SecretEnv(null, "/dev/zero", null)));
    Outcome o =
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
            Duration.ofSeconds(20), () -> shell.execute(assignment(spec, null), context(Map.of())));
    assertThat(o)
        .isEqualTo(
            new Outcome.Failed(
                null,
                "secret TOKEN: /dev/zero is more than 128Ki (131072 bytes) on this worker; a"
                    + " variable holds at most that"));
    assertThat(output("stdout")).isEmpty();
  }

  // ---- the task's environment (issue 19) -----------------------------------------------------

  /** A worker whose environment holds its token, a signing key and a variable for one job. */
  static final Map<String, String> WORKER_ENV =
      Map.of(
          "PATH", System.getenv("PATH"),
          "HOME", "/home/kairos",
          "LC_ALL", "C.UTF-8",
          "KAIROS_WORKER_TOKEN", "worker-token-1b2c",
          "KAIROS_HTTP_SIGNING_KEY", "signing-key-3d4e",
          "DEPLOY_TOKEN", "deploy-token-5f6a",
          "TEAM_REGION", "eu-west-1",
          "TEAMS_URL", "https://teams.example");

  ShellExecutor passing(String... passEnv) {
    return new ShellExecutor(
        Duration.ofSeconds(2),
        LIMITS,
        CONTAINMENT,
        TaskEnvironment.of(WORKER_ENV, Set.of(passEnv)));
  }

  ShellSpec command(String command, Map<String, SecretEnv> secrets) {
    return new ShellSpec(command, List.of(), Map.of("MODE", "full"), null, secrets);
  }

  @Test
  void aTaskSeesTheAllowListWhatTheWorkerPassesAndItsOwnVariablesOnly() throws Exception {
    Outcome o =
        passing("TEAM_*")
            .execute(
                assignment(command("env | sort", Map.of()), null),
                context(Map.of("KAIROS_RUN_ID", "7")));

    assertThat(o).isInstanceOf(Outcome.Succeeded.class);
    assertThat(output("stdout"))
        .contains("PATH=" + System.getenv("PATH"))
        .contains("HOME=/home/kairos")
        .contains("LC_ALL=C.UTF-8")
        .contains("TEAM_REGION=eu-west-1")
        .contains("MODE=full")
        .contains("KAIROS_RUN_ID=7")
        .doesNotContain("TEAMS_URL") // TEAM_* is a prefix: TEAMS_ does not start with it
        .doesNotContain("worker-token")
        .doesNotContain("signing-key")
        .doesNotContain("deploy-token");
  }

  @Test
  void aVariablePassedByNameIsSeenAndMayBeASecretsSource() throws Exception {
    Outcome o =
        passing("DEPLOY_TOKEN")
            .execute(
                assignment(
                    command(
                        "echo \"token=$TOKEN direct=$DEPLOY_TOKEN\"",
                        Map.of("TOKEN", new SecretEnv(null, null, "DEPLOY_TOKEN"))),
                    null),
                context(Map.of()));

    assertThat(o).isInstanceOf(Outcome.Succeeded.class);
    assertThat(output("stdout").trim()).isEqualTo("token=*** direct=***");
  }

  @Test
  void aSecretFromAVariableTheWorkerDoesNotPassFailsTheAttemptNamingTheFlag() throws Exception {
    Outcome o =
        passing()
            .execute(
                assignment(
                    command(
                        "echo never", Map.of("TOKEN", new SecretEnv(null, null, "DEPLOY_TOKEN"))),
                    null),
                context(Map.of()));

    assertThat(o)
        .isEqualTo(
            new Outcome.Failed(
                null,
                "secret TOKEN: this worker does not pass the environment variable DEPLOY_TOKEN to"
                    + " tasks (it must have it and be started with --pass-env DEPLOY_TOKEN)"));
    assertThat(output("stdout")).isEmpty();
  }

  @Test
  void aSecretFileWithANulByteFailsTheAttemptWithoutShowingIt() throws Exception {
    // ProcessBuilder refused it with the whole value in its message, which became the reason
    Path file = work.resolve("nul-secret");
    Files.write(file, "abc\0secret-after-nul".getBytes(java.nio.charset.StandardCharsets.UTF_8));

    Outcome o =
        shell.execute(
            assignment(
                command("echo never", Map.of("KEY", new SecretEnv(null, file.toString(), null))),
                null),
            context(Map.of()));

    assertThat(o)
        .isEqualTo(
            new Outcome.Failed(
                null,
                "secret KEY: its value holds a NUL byte, which no environment variable can hold"));
  }

  @Test
  void aSecretIsMaskedInBase64AndUrlEncodedToo() throws Exception {
    String secret = "p@ss w/rd!42";
    Outcome o =
        shell.execute(
            assignment(
                command(
                    "printf '%s' \"$PASS\" | base64; printf '%s' \"$PASS\" | base64 | tr -d '='"
                        + "; echo 'url=p%40ss+w%2Frd%2142 url20=p%40ss%20w%2Frd%2142'",
                    Map.of("PASS", new SecretEnv(secret, null, null))),
                null),
            context(Map.of()));

    assertThat(o).isInstanceOf(Outcome.Succeeded.class);
    assertThat(output("stdout"))
        .isEqualTo("***\n***\nurl=*** url20=***\n")
        .doesNotContain(java.util.Base64.getEncoder().encodeToString(secret.getBytes()));
  }
}
