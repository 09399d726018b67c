package dev.kairos.worker.shell;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kairos.core.protocol.Assignment;
import dev.kairos.core.protocol.TaskOutputs;
import dev.kairos.core.spec.Durations;
import dev.kairos.core.spec.Resources;
import dev.kairos.core.spec.ShellSpec;
import dev.kairos.core.time.Saturating;
import dev.kairos.worker.contain.Containment;
import dev.kairos.worker.executor.ExecutionContext;
import dev.kairos.worker.executor.Executor;
import dev.kairos.worker.executor.LogBuffer;
import dev.kairos.worker.executor.Outcome;
import dev.kairos.worker.limits.LimitEnforcer;
import dev.kairos.worker.secrets.Secrets;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs a child process: {@code /bin/sh -c command}, or {@code command args...} without a shell. The
 * process and everything it starts are contained ({@link ProcessTree}): on timeout or cancel they
 * get SIGTERM and, after the kill grace, SIGKILL; when the attempt is given up (lease lost or
 * running out, worker stopping), SIGKILL at once; and whatever is left when the attempt ends, a
 * daemon it started included, is killed. stdout and stderr become the attempt's logs. User data
 * reaches it only through environment variables.
 */
public final class ShellExecutor implements Executor {
  private static final ObjectMapper INPUT_JSON = new ObjectMapper();

  private final Duration killGrace;
  private final LimitEnforcer limits;
  private final Containment containment;
  private final TaskEnvironment environment;

  /**
   * @param killGrace how long a process may take to exit after SIGTERM before SIGKILL
   * @param limits how {@code resources.limits} are enforced (see {@link LimitEnforcer#detect})
   * @param containment how the attempts' processes are started and killed; closed with this
   * @param environment what of the worker's environment a task sees
   */
  public ShellExecutor(
      Duration killGrace,
      LimitEnforcer limits,
      Containment containment,
      TaskEnvironment environment) {
    this.killGrace = killGrace;
    this.limits = limits;
    this.containment = containment;
    this.environment = environment;
  }

  /** One whose tasks see none of the worker's environment but {@link TaskEnvironment#ALLOWED}. */
  public ShellExecutor(Duration killGrace, LimitEnforcer limits, Containment containment) {
    this(killGrace, limits, containment, TaskEnvironment.ofWorker(java.util.Set.of()));
  }

  @Override
  public String type() {
    return "shell";
  }

  @Override
  public void close() {
    containment.close();
    limits.close();
  }

  @Override
  public Outcome execute(Assignment a, ExecutionContext ctx) throws InterruptedException {
    ShellSpec spec = (ShellSpec) a.task().executor();
    Path dir;
    boolean ownDir = spec.workingDir() == null;
    try {
      dir =
          ownDir
              ? Files.createDirectories(ctx.workRoot().resolve("attempt-" + a.attemptId()))
              : Path.of(spec.workingDir());
    } catch (IOException e) {
      return new Outcome.Failed(null, "cannot create the working directory: " + e.getMessage());
    }
    if (!Files.isDirectory(dir)) {
      return new Outcome.Failed(null, "working directory " + dir + " does not exist");
    }
    Secrets secrets;
    try {
      secrets = Secrets.resolve(spec.secretEnv(), environment::passed, Secrets.Target.VARIABLE);
    } catch (Secrets.Unresolved e) {
      deleteTree(dir, ownDir);
      return new Outcome.Failed(null, e.getMessage());
    }
    List<String> command = new ArrayList<>();
    if (spec.args().isEmpty()) {
      command.addAll(List.of("/bin/sh", "-c", spec.command()));
    } else {
      command.add(spec.command());
      command.addAll(spec.args());
    }
    Resources resources = a.task().resources();
    LimitEnforcer.AttemptLimits attemptLimits;
    try {
      attemptLimits =
          limits.apply(
              a.attemptId(),
              resources.memoryLimitBytes(),
              resources.cpuLimitMillis(),
              resources.pidsLimit());
    } catch (IOException e) {
      deleteTree(dir, ownDir);
      return new Outcome.Failed(null, "cannot set the resource limits up: " + e.getMessage());
    }
    ProcessBuilder pb = new ProcessBuilder(attemptLimits.wrap(command)).directory(dir.toFile());
    // the worker's own variables stay out (its token, its signing key, other jobs' secrets)
    pb.environment().clear();
    pb.environment().putAll(environment.base());
    pb.environment().putAll(spec.env());
    pb.environment().putAll(secrets.values());
    pb.environment().putAll(ctx.env());
    pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    // data passing: files beside (not in) the working directory, which may be the user's own
    Path input = ctx.workRoot().resolve("attempt-" + a.attemptId() + ".input.json");
    Path output = ctx.workRoot().resolve("attempt-" + a.attemptId() + ".output");
    try {
      Files.createDirectories(ctx.workRoot());
      // sorted, so that the same inputs always read the same
      Map<String, Map<String, String>> sorted = new TreeMap<>();
      a.inputs().forEach((task, values) -> sorted.put(task, new TreeMap<>(values)));
      Files.writeString(input, INPUT_JSON.writeValueAsString(sorted));
      Files.writeString(output, "");
    } catch (IOException e) {
      attemptLimits.close();
      deleteTree(dir, ownDir);
      return new Outcome.Failed(
          null, "cannot create the input and output files: " + e.getMessage());
    }
    a.inputs()
        .forEach((task, values) ->
            values.forEach(
                (key, value) -> pb.environment().put(TaskOutputs.inputVariable(task, key), value)));
    pb.environment().put("KAIROS_INPUT", input.toString());
    pb.environment().put("KAIROS_OUTPUT", output.toString());
    try {
      Outcome outcome = run(pb, a, ctx, secrets, attemptLimits);
      if (outcome instanceof Outcome.Failed && attemptLimits.oomKilled()) {
        return new Outcome.OomKilled(
            "killed for using more than its memory limit ("
                + resources.limits().get("memory")
                + ")");
      }
      return outcome instanceof Outcome.Succeeded ? published(output) : outcome;
    } finally {
      attemptLimits.close();
      deleteTree(dir, ownDir);
      deleteQuietly(input);
      deleteQuietly(output);
    }
  }

  /** A success with what the task wrote to $KAIROS_OUTPUT, or a failure saying why it is bad. */
  private static Outcome published(Path output) {
    String text;
    try {
      if (Files.size(output) > TaskOutputs.MAX_BYTES * 4L) {
        return new Outcome.Failed(
            0,
            String.format(
                "$KAIROS_OUTPUT is %,d bytes; a task may publish at most %,d bytes of key=value"
                    + " lines",
                Files.size(output), TaskOutputs.MAX_BYTES));
      }
      text = Files.readString(output);
    } catch (IOException e) {
      return new Outcome.Failed(0, "cannot read $KAIROS_OUTPUT: " + e.getMessage());
    }
    try {
      return new Outcome.Succeeded(TaskOutputs.parse(text));
    } catch (IllegalArgumentException e) {
      return new Outcome.Failed(0, "$KAIROS_OUTPUT " + e.getMessage());
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // best effort, as for the working directory
    }
  }

  private Outcome run(
      ProcessBuilder pb,
      Assignment a,
      ExecutionContext ctx,
      Secrets secrets,
      LimitEnforcer.AttemptLimits attemptLimits)
      throws InterruptedException {
    ProcessTree tree;
    try {
      tree = ProcessTree.start(pb, a.attemptId(), containment, attemptLimits);
    } catch (IOException e) {
      return new Outcome.Failed(null, "cannot start the command: " + e.getMessage());
    }
    Process process = tree.process();
    LogBuffer log = ctx.log();
    Thread out = pump(process.getInputStream(), "stdout", log, secrets);
    Thread err = pump(process.getErrorStream(), "stderr", log, secrets);
    Object killed = new Object();
    Thread[] stopper = {null};
    ctx.onCancel(() -> {
      synchronized (killed) {
        stopper[0] = Thread.ofVirtual().start(() -> stopQuietly(tree, ctx));
      }
    });
    Duration timeout = a.task().timeout();
    boolean finished;
    try {
      finished =
          timeout == null
              ? waitForever(process)
              : process.waitFor(Saturating.millis(timeout), TimeUnit.MILLISECONDS);
      if (!finished) {
        tree.stop(ctx.abandoned() ? Duration.ZERO : killGrace, ctx::abandoned);
      }
      Thread cancelling;
      synchronized (killed) {
        cancelling = stopper[0];
      }
      if (cancelling != null) {
        cancelling.join(); // the rest of the tree may still be in its grace
      }
    } catch (InterruptedException e) {
      tree.kill();
      throw e;
    }
    // what the task left running when it ended (a daemon it started), which would otherwise hold
    // its output open; after a stop, what a process started while it was being killed
    tree.killLeftovers();
    out.join(TimeUnit.SECONDS.toMillis(5));
    err.join(TimeUnit.SECONDS.toMillis(5));
    log.flush();
    if (!finished) {
      return new Outcome.TimedOut("timed out after " + Durations.format(timeout));
    }
    synchronized (killed) {
      if (stopper[0] != null) {
        return new Outcome.Cancelled("cancelled");
      }
    }
    int code = process.exitValue();
    if (code == 0) {
      return new Outcome.Succeeded();
    }
    String last = log.lastStderrLine();
    return new Outcome.Failed(code, "exit code " + code + (last == null ? "" : ": " + last));
  }

  private static boolean waitForever(Process process) throws InterruptedException {
    process.waitFor();
    return true;
  }

  /** On cancel: SIGTERM, then SIGKILL after the grace; at once when the attempt was abandoned. */
  private void stopQuietly(ProcessTree tree, ExecutionContext ctx) {
    try {
      tree.stop(ctx.abandoned() ? Duration.ZERO : killGrace, ctx::abandoned);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Copies a stream of the process to the attempt's log a line at a time, secrets masked; a line
   * longer than {@link LogBuffer#MAX_LINE} comes in pieces (see {@link OutputLines}).
   */
  private static Thread pump(InputStream in, String stream, LogBuffer log, Secrets secrets) {
    return Thread.ofVirtual()
        .start(() -> {
          try (in) {
            OutputLines r = new OutputLines(in, LogBuffer.MAX_LINE, secrets);
            String line;
            while ((line = r.next()) != null) {
              log.line(stream, line);
              if (stream.equals("stderr") && !line.isBlank()) {
                log.noteStderr(line);
              }
            }
          } catch (IOException e) {
            // the process is gone and its pipe closed: nothing more to read
          }
        });
  }

  private static void deleteTree(Path dir, boolean own) {
    if (own) {
      deleteTree(dir);
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // best effort: a leftover directory under the work root is harmless
    }
  }
}
