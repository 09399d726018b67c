package dev.kairos.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kairos.cli.client.ApiClient;
import dev.kairos.cli.client.ClientOptions;
import dev.kairos.cli.output.Format;
import dev.kairos.cli.output.Table;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Commands on runs: runs, run, logs, trigger, cancel. */
final class RunCommands {
  static final Set<String> ACTIVE = Set.of("PENDING", "RUNNING");

  private RunCommands() {}

  @Command(name = "runs", mixinStandardHelpOptions = true, description = "List runs, newest first.")
  static final class Runs implements Callable<Integer> {
    @Mixin ClientOptions opts;
    @Spec CommandSpec spec;

    @Parameters(
        index = "0",
        arity = "0..1",
        description = "JOB (name or namespace/name); all jobs if absent")
    String job;

    @Option(
        names = "--state",
        description =
            "Only runs in this state (PENDING, RUNNING, SUCCEEDED, FAILED, CANCELLED, SKIPPED, MISSED).")
    String state;

    @Option(
        names = "--limit",
        defaultValue = "20",
        description = "At most this many (default ${DEFAULT-VALUE}, max 1000).")
    int limit;

    @Override
    public Integer call() {
      String[] j = job == null ? new String[] {null, null} : opts.job(job);
      JsonNode r = opts.client().listRuns(j[0], j[1], state, limit);
      PrintWriter out = spec.commandLine().getOut();
      if (!opts.printData(r, out)) {
        Table t = new Table("ID", "JOB", "TRIGGER", "STATE", "FIRE/CREATED", "DURATION", "REASON");
        for (JsonNode run : r.get("items")) {
          JsonNode when = run.get("fireTime").isNull() ? run.get("createdAt") : run.get("fireTime");
          t.row(
              run.get("id").asText(),
              run.get("namespace").asText() + "/" + run.get("job").asText(),
              run.get("trigger").asText(),
              run.get("state").asText(),
              Format.time(when),
              Format.text(run.get("duration")),
              Format.text(run.get("reason")));
        }
        t.print(out);
      }
      return 0;
    }
  }

  @Command(
      name = "run",
      mixinStandardHelpOptions = true,
      description = "Show a run and its attempts.")
  static final class Run implements Callable<Integer> {
    @Mixin ClientOptions opts;
    @Spec CommandSpec spec;

    @Parameters(index = "0", description = "RUN_ID")
    long id;

    @Override
    public Integer call() {
      JsonNode run = opts.client().getRun(id);
      PrintWriter out = spec.commandLine().getOut();
      if (!opts.printData(run, out)) {
        printRun(run, out);
      }
      return 0;
    }
  }

  static void printRun(JsonNode run, PrintWriter out) {
    out.printf("Run:       %s%n", run.get("id").asText());
    out.printf(
        "Job:       %s/%s (version %s)%n",
        run.get("namespace").asText(), run.get("job").asText(), run.get("jobVersion").asText());
    out.printf("Trigger:   %s%n", run.get("trigger").asText());
    out.printf("State:     %s%n", run.get("state").asText());
    if (!run.get("reason").isNull()) {
      out.printf("Reason:    %s%n", run.get("reason").asText());
    }
    out.printf("Fire time: %s%n", Format.time(run.get("fireTime")));
    out.printf("Created:   %s%n", Format.time(run.get("createdAt")));
    out.printf("Started:   %s%n", Format.time(run.get("startedAt")));
    out.printf("Finished:  %s%n", Format.time(run.get("finishedAt")));
    out.printf("Duration:  %s%n", Format.text(run.get("duration")));
    JsonNode tasks = run.get("tasks");
    if (tasks != null && tasks.size() > 1) {
      out.println();
      Table t = new Table("TASK", "STATE", "AFTER", "RULE");
      for (JsonNode task : tasks) {
        List<String> after = new ArrayList<>();
        task.get("dependsOn").forEach(d -> after.add(d.asText()));
        t.row(
            task.get("name").asText(),
            task.get("state").asText(),
            after.isEmpty() ? "-" : String.join(",", after),
            task.get("triggerRule").asText());
      }
      t.print(out);
    }
    JsonNode attempts = run.get("attempts");
    if (attempts != null && attempts.size() > 0) {
      out.println();
      Table t =
          new Table("ATTEMPT", "TASK", "STATE", "WORKER", "STARTED", "FINISHED", "EXIT", "ERROR");
      for (JsonNode a : attempts) {
        t.row(
            a.get("attempt").asText(),
            a.get("task").asText(),
            a.get("state").asText(),
            Format.text(a.get("workerId")),
            Format.time(a.get("startedAt")),
            Format.time(a.get("finishedAt")),
            Format.text(a.get("exitCode")),
            a.path("waiting").isTextual()
                ? "waiting: " + a.get("waiting").asText()
                : Format.text(a.get("error")));
      }
      t.print(out);
    }
    out.flush();
  }

  @Command(
      name = "logs",
      mixinStandardHelpOptions = true,
      description = "Print the output of a run's attempts.")
  static final class Logs implements Callable<Integer> {
    @Mixin ClientOptions opts;
    @Spec CommandSpec spec;

    @Parameters(index = "0", description = "RUN_ID")
    long id;

    @Option(
        names = {"-f", "--follow"},
        description = "Keep printing new output until the run ends.")
    boolean follow;

    @Override
    public Integer call() throws InterruptedException {
      ApiClient api = opts.client();
      PrintWriter out = spec.commandLine().getOut();
      Set<String> printed = new HashSet<>();
      long[] lastAttempt = {-1};
      while (true) {
        boolean ended = !ACTIVE.contains(api.getRun(id).get("state").asText());
        JsonNode logs = api.runLogs(id);
        if (!follow && opts.printData(logs, out)) {
          return 0;
        }
        for (JsonNode chunk : logs.get("items")) {
          String key = chunk.get("attemptId").asText() + "/" + chunk.get("seq").asText();
          if (!printed.add(key)) {
            continue;
          }
          if (chunk.get("attemptId").asLong() != lastAttempt[0]) {
            lastAttempt[0] = chunk.get("attemptId").asLong();
            out.printf(
                "--- attempt %s (task %s) ---%n",
                chunk.get("attempt").asText(), chunk.get("task").asText());
          }
          out.print(chunk.get("text").asText());
        }
        out.flush();
        if (!follow || ended) {
          return 0;
        }
        Thread.sleep(1000);
      }
    }
  }

  @Command(
      name = "trigger",
      mixinStandardHelpOptions = true,
      description = "Start a run of a job now.")
  static final class Trigger implements Callable<Integer> {
    @Mixin ClientOptions opts;
    @Spec CommandSpec spec;

    @Parameters(index = "0", description = "JOB (name or namespace/name)")
    String job;

    @Option(
        names = "--idempotency-key",
        description = "A key that makes repeated triggers return the same run.")
    String key;

    @Option(names = "--wait", description = "Wait for the run to end; exit 0 only if it SUCCEEDED.")
    boolean await;

    @Override
    public Integer call() throws InterruptedException {
      String[] j = opts.job(job);
      ApiClient api = opts.client();
      JsonNode run = api.triggerRun(j[0], j[1], key);
      PrintWriter out = spec.commandLine().getOut();
      long id = run.get("id").asLong();
      if (!await) {
        if (!opts.printData(run, out)) {
          out.printf("run %d of %s/%s: %s%n", id, j[0], j[1], run.get("state").asText());
          out.flush();
        }
        return 0;
      }
      if (opts.table()) {
        out.printf("run %d of %s/%s started; waiting for it to end...%n", id, j[0], j[1]);
        out.flush();
      }
      while (ACTIVE.contains(run.get("state").asText())) {
        Thread.sleep(500);
        run = api.getRun(id);
      }
      if (!opts.printData(run, out)) {
        printRun(run, out);
      }
      return run.get("state").asText().equals("SUCCEEDED") ? 0 : 1;
    }
  }

  @Command(
      name = "cancel",
      mixinStandardHelpOptions = true,
      description = "Cancel a run: queued attempts are dropped, running ones killed.")
  static final class Cancel implements Callable<Integer> {
    @Mixin ClientOptions opts;
    @Spec CommandSpec spec;

    @Parameters(index = "0", description = "RUN_ID")
    long id;

    @Override
    public Integer call() {
      JsonNode run = opts.client().cancelRun(id);
      PrintWriter out = spec.commandLine().getOut();
      if (!opts.printData(run, out)) {
        out.printf("run %d: %s%n", id, run.get("state").asText());
        out.flush();
      }
      return 0;
    }
  }

  /** Shared by the repair commands: print the run as it is now, or wait for it to end. */
  static int afterRepair(
      ClientOptions opts, CommandSpec spec, JsonNode run, boolean await, String what)
      throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    long id = run.get("id").asLong();
    if (await) {
      if (opts.table()) {
        out.printf("run %d: %s; waiting for it to end...%n", id, what);
        out.flush();
      }
      while (ACTIVE.contains(run.get("state").asText())) {
        Thread.sleep(500);
        run = opts.client().getRun(id);
      }
    }
    if (!opts.printData(run, out)) {
      if (await) {
        printRun(run, out);
      } else {
        out.printf("run %d: %s; now %s%n", id, what, run.get("state").asText());
        out.flush();
      }
    }
    return !await || run.get("state").asText().equals("SUCCEEDED") ? 0 : 1;
  }

  @Command(
      name = "retry",
      mixinStandardHelpOptions = true,
      description = {
        "Retry a FAILED or CANCELLED run from its failed tasks: they run again (with their retry"
            + " policy anew) and the run goes on; tasks that succeeded keep their results.",
        "Example: kairos retry 42 --wait"
      })
  static final class Retry implements Callable<Integer> {
    @Mixin ClientOptions opts;
    @Spec CommandSpec spec;

    @Parameters(index = "0", description = "RUN_ID")
    long id;

    @Option(names = "--wait", description = "Wait for the run to end; exit 0 only if it SUCCEEDED.")
    boolean await;

    @Override
    public Integer call() throws InterruptedException {
      return afterRepair(
          opts, spec, opts.client().retryRun(id), await, "retrying its failed tasks");
    }
  }

  @Command(
      name = "rerun",
      mixinStandardHelpOptions = true,
      description = {
        "Run one task of an ended run again, and every task downstream of it (unless"
            + " --no-downstream); the run goes on from there.",
        "Example: kairos rerun 42 transform"
      })
  static final class Rerun implements Callable<Integer> {
    @Mixin ClientOptions opts;
    @Spec CommandSpec spec;

    @Parameters(index = "0", description = "RUN_ID")
    long id;

    @Parameters(index = "1", description = "TASK")
    String task;

    @Option(names = "--no-downstream", description = "Re-run this task only.")
    boolean only;

    @Option(names = "--wait", description = "Wait for the run to end; exit 0 only if it SUCCEEDED.")
    boolean await;

    @Override
    public Integer call() throws InterruptedException {
      return afterRepair(
          opts,
          spec,
          opts.client().rerunTask(id, task, !only),
          await,
          "re-running " + task + (only ? "" : " and its downstream tasks"));
    }
  }

  @Command(
      name = "mark",
      mixinStandardHelpOptions = true,
      description = {
        "Let a task of an ended run stand as succeeded or skipped without running it; its"
            + " downstream tasks go on accordingly.",
        "Example: kairos mark 42 extract --state succeeded"
      })
  static final class Mark implements Callable<Integer> {
    @Mixin ClientOptions opts;
    @Spec CommandSpec spec;

    @Parameters(index = "0", description = "RUN_ID")
    long id;

    @Parameters(index = "1", description = "TASK")
    String task;

    @Option(names = "--state", required = true, description = "succeeded or skipped")
    String state;

    @Override
    public Integer call() throws InterruptedException {
      String upper = state.toUpperCase(java.util.Locale.ROOT);
      if (!upper.equals("SUCCEEDED") && !upper.equals("SKIPPED")) {
        throw new picocli.CommandLine.ParameterException(
            spec.commandLine(), "--state: \"" + state + "\" is not succeeded or skipped");
      }
      return afterRepair(
          opts, spec, opts.client().markTask(id, task, upper), false, task + " marked " + upper);
    }
  }
}
