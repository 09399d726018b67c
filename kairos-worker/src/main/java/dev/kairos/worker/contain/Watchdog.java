package dev.kairos.worker.contain;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * A small shell process, one per worker, that kills the worker's attempts' processes once the
 * worker is gone, however it went. It waits for the end of its standard input, a pipe whose other
 * end only the worker holds (a child process gets no copy of it), so the end comes when the worker
 * closes it or when its process dies, SIGKILL included. It then kills every process whose
 * environment carries the worker's mark, round after round until none is left (at most 100 rounds
 * of 50 ms). It runs in a session of its own, so that a signal to the worker's process group does
 * not reach it.
 *
 * <p>The parent-death signal kills an attempt's first process only: its children and daemons live
 * on without this. What it cannot find is a process that cleared its environment and left its
 * parent; a cgroup holds those (and a worker starting on this host later finds nothing of them
 * either).
 */
final class Watchdog implements AutoCloseable {
  /** {@code sh -c SCRIPT kairos-watchdog PATTERN}: the pattern is an argument, never code. */
  static final String SCRIPT =
      "cat > /dev/null; n=0; while [ $n -lt 100 ]; do"
          + " pids=$(grep -l -z -e \"$1\" /proc/[0-9]*/environ 2>/dev/null"
          + " | sed -e 's#^/proc/##' -e 's#/environ$##');"
          + " [ -z \"$pids\" ] && exit 0; kill -9 $pids 2>/dev/null; n=$((n+1)); sleep 0.05;"
          + " done";

  private final Process process;

  private Watchdog(Process process) {
    this.process = process;
  }

  /**
   * Starts the watchdog of the processes whose {@code variable} starts with {@code prefix}.
   *
   * @throws IOException when no shell can be started
   */
  static Watchdog start(String variable, String prefix, String setsid) throws IOException {
    List<String> command = new ArrayList<>();
    if (setsid != null) {
      command.add(setsid);
    }
    command.addAll(
        List.of("/bin/sh", "-c", SCRIPT, "kairos-watchdog", "^" + variable + "=" + prefix));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.DISCARD);
    // its own environment must not carry a mark: nothing else it inherits matters
    builder.environment().remove(variable);
    return new Watchdog(builder.start());
  }

  long pid() {
    return process.pid();
  }

  /**
   * Closes its input: it checks once more that nothing of the worker's attempts is left, and ends.
   */
  @Override
  public void close() {
    try (OutputStream in = process.getOutputStream()) {
      // closed by the try
    } catch (IOException e) {
      // already gone
    }
  }
}
