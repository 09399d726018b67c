package dev.kairos.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
    // the state directory and the database hold the tokens and the jobs' inline secrets (issue
    // 19: kairos.db and its WAL were 0644)
    for (String name : List.of("kairos.db", "kairos.db-wal")) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state.resolve(name))))
          .as(name)
          .isEqualTo("rw-------");
    }
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state)))
        .isEqualTo("rwx------");
  }

  @Test
  void aViewerTokenReadsButCannotTriggerAndARevokedOneStopsWorking() throws Exception {
    Result made = kairos("token", "create", "dashboards", "--role", "viewer");
    assertThat(made.code()).as(made.err()).isZero();
    String viewer = made.out().trim();
    assertThat(made.err()).contains("token dashboards (viewer) created; it is shown this once");
    assertThat(kairos("token", "list").out()).containsPattern("dashboards\\s+viewer");
    assertThat(kairos("token", "list").out()).doesNotContain(viewer);

    assertThat(kairos("runs", "--token", viewer).code()).isZero();
    Result refused = kairos("trigger", "nope", "--token", viewer);
    assertThat(refused.code()).isEqualTo(1);
    assertThat(refused.err())
        .contains("token 'dashboards' (viewer) may not POST")
        .contains("it needs operate");

    assertThat(kairos("token", "revoke", "dashboards").out()).contains("token dashboards revoked");
    await()
        .atMost(java.time.Duration.ofSeconds(3))
        .until(() -> kairos("runs", "--token", viewer).code() != 0);
    assertThat(kairos("runs", "--token", viewer).err()).contains("the server rejected the token");
  }

  @Test
  void aTokenLimitedToANamespaceAndInTimeIsListedWithItsLimits() throws Exception {
    Result made =
        kairos(
            "token",
            "create",
            "team-ci",
            "--role",
            "operator",
            "--namespaces",
            "team-a",
            "--expires",
            "30d");
    assertThat(made.code()).as(made.err()).isZero();
    String ci = made.out().trim();
    assertThat(kairos("token", "list").out())
        .containsPattern("team-ci\\s+operator\\s+-\\s+namespaces=team-a\\s+20\\d\\d-");
    Result refused = kairos("trigger", "elsewhere/job", "--token", ci);
    assertThat(refused.code()).isEqualTo(1);
    assertThat(refused.err())
        .contains("token 'team-ci' is limited to namespace team-a")
        .doesNotContain("Exception");
    Result bad = kairos("token", "create", "root-a", "--role", "admin", "--namespaces", "a");
    assertThat(bad.code()).isNotZero();
    assertThat(bad.err())
        .contains("only operator, viewer and events tokens are limited to namespaces, not admin");
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
    // found by id: hello fires every minute, and a run it just fired may be the newest
    JsonNode triggered = null;
    for (JsonNode item : json.get("items")) {
      if (item.get("id").asText().equals(id)) {
        triggered = item;
      }
    }
    assertThat(triggered).as("run %s in %s", id, json).isNotNull();
    assertThat(triggered.get("state").asText()).isEqualTo("SUCCEEDED");
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
  void aFileOfSeveralDocumentsIsAppliedOneByOneReportingEach() throws Exception {
    // the server takes one manifest per request; apply sends each document and says what became
    // of it: a bad one is named, the others are applied all the same, and the exit code says so
    Path jobs = dir.resolve("several.yaml");
    String job =
        """
        apiVersion: kairos.dev/v1
        kind: Job
        metadata: {name: %s}
        spec:
          schedule: "%s"
          task: {empty: {}}
        """;
    Files.writeString(
        jobs,
        job.formatted("multi-a", "0 2 * * *")
            + "---\n"
            + job.formatted("multi-b", "61 * * * *")
            + "---\n"
            + job.formatted("multi-c", "0 4 * * *"));
    Result r = kairos("apply", "-f", jobs.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out())
        .isEqualTo(
            "job default/multi-a created (version 1)\njob default/multi-c created (version 1)\n");
    assertThat(r.err())
        .isEqualTo(
            "kairos: document 2 (default/multi-b): spec.schedule: \"61 * * * *\": minute 61 is out"
                + " of range 0-59\n"
                + "kairos: applied 2 of 3 documents; not applied: document 2 (default/multi-b)\n");
    assertThat(kairos("get", "job", "multi-a").code()).isZero();
    assertThat(kairos("get", "job", "multi-b").code()).isEqualTo(1);
    assertThat(kairos("get", "job", "multi-c").code()).isZero();
    // all good: each reported, exit 0
    Files.writeString(
        jobs,
        job.formatted("multi-a", "0 2 * * *") + "---\n" + job.formatted("multi-b", "0 3 * * *"));
    Result again = kairos("apply", "-f", jobs.toString());
    assertThat(again.code()).as(again.err()).isZero();
    assertThat(again.out())
        .isEqualTo(
            "job default/multi-a unchanged (version 1)\njob default/multi-b created (version 1)\n");
  }

  @Test
  void aDocumentPastTheServersCapIsRefusedNamingTheCap() throws Exception {
    Path big = dir.resolve("big.yaml");
    Files.writeString(
        big,
        """
        apiVersion: kairos.dev/v1
        kind: Job
        metadata: {name: big}
        spec:
          task: {shell: {command: "true", env: {PAD: "%s"}}}
        """
            .formatted("x".repeat(2_000_000)));
    Result r = kairos("apply", "-f", big.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err())
        .startsWith("kairos: the body is ")
        .endsWith(" bytes; PUT /api/v1/jobs takes at most 1Mi (1048576 bytes)\n")
        .doesNotContain("Exception");
  }

  @Test
  void backfillRunsEachFireOfTheRangeOnceAndARepeatRunsNothingNew() throws Exception {
    Path job = dir.resolve("daily.yaml");
    Files.writeString(
        job,
        """
        apiVersion: kairos.dev/v1
        kind: Job
        metadata: {name: daily}
        spec:
          schedule: "0 2 * * *"
          timeZone: Europe/Berlin
          task:
            shell: {command: 'echo "fire $KAIROS_FIRE_TIME"'}
        """);
    assertThat(kairos("apply", "-f", job.toString()).code()).isZero();
    Result first =
        kairos(
            "backfill",
            "daily",
            "--from",
            "2026-01-30",
            "--to",
            "2026-02-02",
            "--max-parallel",
            "2");
    assertThat(first.code()).as(first.err()).isZero();
    assertThat(first.out())
        .contains("backfill default/daily: 4 fires of \"0 2 * * *\" (Europe/Berlin)")
        .contains("at most 2 at a time")
        .contains("4 / 4 ended (4 SUCCEEDED)")
        .as("progress rewritten in place on a terminal only: this output is a pipe")
        .doesNotContain("\r")
        .endsWith("backfill default/daily: 4 SUCCEEDED\n");
    // 02:00 in Berlin in winter is 01:00 UTC; each run knows its fire time
    JsonNode runs = new ObjectMapper().readTree(kairos("runs", "daily", "-o", "json").out());
    assertThat(runs.get("items")).hasSize(4);
    List<String> fires = new ArrayList<>();
    for (JsonNode r : runs.get("items")) {
      fires.add(r.get("fireTime").asText());
      String logs = kairos("logs", r.get("id").asText()).out();
      assertThat(logs).contains("fire " + r.get("fireTime").asText());
    }
    assertThat(fires)
        .containsExactlyInAnyOrder(
            "2026-01-30T01:00:00Z",
            "2026-01-31T01:00:00Z",
            "2026-02-01T01:00:00Z",
            "2026-02-02T01:00:00Z");

    Result again =
        kairos("backfill", "daily", "--from", "2026-01-29", "--to", "2026-01-31", "-o", "json");
    assertThat(again.code()).as(again.err()).isZero();
    JsonNode summary = new ObjectMapper().readTree(again.out());
    assertThat(summary.get("fires").asInt()).isEqualTo(3);
    // only Jan 29 is new: the others keep their runs
    assertThat(
            new ObjectMapper().readTree(kairos("runs", "daily", "-o", "json").out()).get("items"))
        .hasSize(5);

    Result bad = kairos("backfill", "daily", "--from", "2026-13-01", "--to", "2026-01-31");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("--from: \"2026-13-01\" is not a date");
    Result noSchedule =
        kairos("backfill", "hello-adhoc", "--from", "2026-01-01", "--to", "2026-01-02");
    assertThat(noSchedule.code()).isNotZero();
  }

  @Test
  void aFailedDagIsRetriedFromItsFailedTaskThenRepairedByTask() throws Exception {
    Path ready = dir.resolve("ready");
    Path job = dir.resolve("etl.yaml");
    Files.writeString(
        job,
        """
        apiVersion: kairos.dev/v1
        kind: Job
        metadata: {name: etl}
        spec:
          tasks:
            - name: extract
              shell: {command: 'echo "extract $KAIROS_ATTEMPT"; echo n=1 >> "$KAIROS_OUTPUT"'}
            - name: transform
              dependsOn: [extract]
              shell:
                command: 'test -f "$READY" && echo "transform $KAIROS_ATTEMPT"'
                env: {READY: "%s"}
            - name: load
              dependsOn: [transform]
              shell: {command: 'echo "load $KAIROS_ATTEMPT"'}
        """
            .formatted(ready));
    assertThat(kairos("apply", "-f", job.toString()).code()).isZero();
    Result failed = kairos("trigger", "etl", "--wait");
    assertThat(failed.code()).isEqualTo(1);
    assertThat(failed.out())
        .contains("State:     FAILED")
        .containsPattern("transform +FAILED")
        .containsPattern("load +UPSTREAM_FAILED");
    String id = runId(failed.out());

    Files.writeString(ready, "");
    Result retried = kairos("retry", id, "--wait");
    assertThat(retried.code()).as(retried.out() + retried.err()).isZero();
    // extract kept its success; transform ran again as attempt 2, then load
    assertThat(retried.out())
        .contains("State:     SUCCEEDED")
        .containsPattern("1 +extract +SUCCEEDED")
        .containsPattern("2 +transform +SUCCEEDED")
        .containsPattern("1 +load +SUCCEEDED");

    Result rerun = kairos("rerun", id, "transform", "--wait");
    assertThat(rerun.code()).as(rerun.err()).isZero();
    assertThat(rerun.out()).containsPattern("3 +transform +SUCCEEDED").containsPattern("2 +load");

    Result mark = kairos("mark", id, "load", "--state", "skipped", "-o", "json");
    assertThat(mark.code()).as(mark.err()).isZero();
    JsonNode run = new ObjectMapper().readTree(mark.out());
    assertThat(run.at("/tasks/2/state").asText()).isEqualTo("SKIPPED");
    assertThat(run.at("/tasks/2/marked").asBoolean()).isTrue();
    assertThat(run.get("state").asText()).isEqualTo("SUCCEEDED");

    Result again = kairos("retry", id);
    assertThat(again.code()).isEqualTo(1);
    assertThat(again.err()).contains("SUCCEEDED: there is nothing to retry");
    Result noTask = kairos("rerun", id, "transfrom");
    assertThat(noTask.err()).contains("has no task transfrom; its tasks: extract, transform, load");
  }

  private static String runId(String out) {
    return out.lines()
        .filter(l -> l.startsWith("Run:"))
        .findFirst()
        .orElseThrow()
        .substring(4)
        .trim();
  }

  @Test
  void helpListsEveryCommand() {
    Result help = kairos("--help");
    assertThat(help.out())
        .contains(
            "up",
            "server",
            "apply",
            "get",
            "runs",
            "run",
            "logs",
            "trigger",
            "cancel",
            "suspend",
            "resume",
            "backfill",
            "pools",
            "workers",
            "pool",
            "audit",
            "alerts",
            "bench");
  }

  @Test
  void poolsAndWorkersAreListedAndPoolSettingsChecked() throws Exception {
    await()
        .atMost(java.time.Duration.ofSeconds(10))
        .until(() -> kairos("workers").out().contains("default"));
    Result pools = kairos("pools");
    assertThat(pools.code()).isZero();
    assertThat(pools.out()).contains("POOL", "BACKLOG", "default", "(all)");
    Result bad = kairos("pool", "batch", "--max-running", "0");
    assertThat(bad.code()).isEqualTo(1);
    assertThat(bad.err()).contains("maxRunning").doesNotContain("Exception");
    Result set = kairos("pool", "batch", "--max-running", "3", "--priority-aging", "2s");
    assertThat(set.out().trim())
        .isEqualTo("pool batch: maxRunning 3, priorityAging 2s, order fifo");
    Result spf =
        kairos(
            "pool",
            "batch",
            "--priority-aging",
            "10m",
            "--order",
            "shortest-predicted-first",
            "--order-window",
            "5m");
    assertThat(spf.out().trim())
        .isEqualTo(
            "pool batch: maxRunning none, priorityAging 10m,"
                + " order shortest-predicted-first (window 5m)");
    assertThat(kairos("pools").out()).contains("shortest-predicted-first (window 5m)");
    Result badOrder = kairos("pool", "batch", "--order", "sjf");
    assertThat(badOrder.code()).isEqualTo(1);
    assertThat(badOrder.err())
        .contains("order")
        .contains("fifo, shortest-predicted-first")
        .doesNotContain("Exception");
    Result json = kairos("workers", "-o", "json");
    assertThat(json.out()).contains("\"workerId\"", "\"capacity\"".replace("capacity", "cpu"));
  }

  @Test
  void theAuditLogShowsWhoChangedWhat() throws Exception {
    assertThat(kairos("pool", "audited", "--max-running", "2").code()).isZero();
    Result audit = kairos("audit", "--limit", "5");
    assertThat(audit.code()).isZero();
    assertThat(audit.out())
        .contains("TOKEN", "CALL", "admin", "PUT /api/v1/pools/audited", "200", "127.0.0.1");
    Result json = kairos("audit", "--by", "admin", "-o", "json");
    assertThat(json.out()).contains("\"tokenName\" : \"admin\"");
    Result alerts = kairos("alerts", "--state", "failed");
    assertThat(alerts.code()).isZero();
    assertThat(alerts.out()).contains("ALERT", "WEBHOOK", "STATE");
    assertThat(kairos("alerts", "--state", "lost").err()).contains("state").contains("delivered");
    Result bad = kairos("audit", "--limit", "0");
    assertThat(bad.code()).isEqualTo(1);
    assertThat(bad.err()).contains("limit").doesNotContain("Exception");
  }
}
