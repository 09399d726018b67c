package dev.kairos.worker.shell;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starting a child in a process group of its own and killing the whole group: a task's
 * grandchildren (pipelines, background jobs, subshells) die with it instead of lingering.
 */
final class ProcessTree {
  /** setsid(1) starts the command as leader of a new session, so its pid is its group id. */
  private static final Path SETSID =
      List.of(Path.of("/usr/bin/setsid"), Path.of("/bin/setsid")).stream()
          .filter(Files::isExecutable)
          .findFirst()
          .orElse(null);

  private ProcessTree() {}

  /** The command, prefixed so that it leads its own process group where the OS allows. */
  static List<String> isolated(List<String> command) {
    if (SETSID == null) {
      return command;
    }
    var list = new java.util.ArrayList<String>(command.size() + 1);
    list.add(SETSID.toString());
    list.addAll(command);
    return list;
  }

  /** SIGTERM to the group, then SIGKILL after {@code grace} if anything is left. */
  static void kill(Process process, Duration grace) throws InterruptedException {
    long pid = process.pid();
    signalGroup(pid, "TERM");
    process.toHandle().descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS) || groupAlive(pid)) {
      signalGroup(pid, "KILL");
      process.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      process.waitFor(5, TimeUnit.SECONDS);
    }
    // members of the group that outlived its leader (e.g. `sleep 300 &`)
    long deadline = System.nanoTime() + grace.toNanos();
    while (groupAlive(pid) && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    if (groupAlive(pid)) {
      signalGroup(pid, "KILL");
    }
  }

  private static void signalGroup(long pgid, String signal) throws InterruptedException {
    if (SETSID == null) {
      return;
    }
    try {
      new ProcessBuilder("kill", "-s", signal, "--", "-" + pgid)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start()
          .waitFor(5, TimeUnit.SECONDS);
    } catch (IOException e) {
      // no kill(1): the per-process destroy calls above are the fallback
    }
  }

  /** Whether any process of the group still exists (kill -0 succeeds). */
  private static boolean groupAlive(long pgid) throws InterruptedException {
    if (SETSID == null) {
      return false;
    }
    try {
      return new ProcessBuilder("kill", "-0", "--", "-" + pgid)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start()
              .waitFor()
          == 0;
    } catch (IOException e) {
      return false;
    }
  }
}
