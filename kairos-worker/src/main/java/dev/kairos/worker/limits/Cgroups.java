package dev.kairos.worker.limits;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** What both cgroup versions share: where this process sits, and the files they are made of. */
final class Cgroups {
  /**
   * Joins the cgroups whose {@code cgroup.procs} files come first, then becomes the command: {@code
   * sh -c SCRIPT kairos-limits PROCS... -- COMMAND...}. Paths and command are arguments, never part
   * of the script.
   */
  static final String JOIN =
      "while [ \"$1\" != -- ]; do echo $$ > \"$1\" || exit 125; shift; done; shift; exec \"$@\"";

  private Cgroups() {}

  /** This process's cgroup path in the hierarchy named {@code controller} ("" = cgroup v2). */
  static Optional<String> selfPath(String controller) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/cgroup"))) {
        String[] parts = line.split(":", 3);
        if (parts.length == 3 && List.of(parts[1].split(",")).contains(controller)) {
          return Optional.of(parts[2]);
        }
        if (parts.length == 3 && controller.isEmpty() && parts[0].equals("0")) {
          return Optional.of(parts[2]);
        }
      }
    } catch (IOException e) {
      // no /proc: not Linux
    }
    return Optional.empty();
  }

  static List<String> joinAndRun(List<Path> procsFiles, List<String> command) {
    List<String> wrapped = new ArrayList<>(List.of("/bin/sh", "-c", JOIN, "kairos-limits"));
    procsFiles.forEach(p -> wrapped.add(p.toString()));
    wrapped.add("--");
    wrapped.addAll(command);
    return wrapped;
  }

  static void write(Path file, String value) throws IOException {
    Files.writeString(file, value, StandardCharsets.US_ASCII);
  }

  /** The count after {@code key} in a flat keyed file such as {@code memory.events}, or 0. */
  static long counter(Path file, String key) {
    try {
      for (String line : Files.readAllLines(file)) {
        String[] kv = line.trim().split("\\s+");
        if (kv.length == 2 && kv[0].equals(key)) {
          return Long.parseLong(kv[1]);
        }
      }
    } catch (IOException | NumberFormatException e) {
      // gone or unreadable: nothing counted
    }
    return 0;
  }

  /**
   * Kills every process in a cgroup until it is empty: at once by {@code cgroup.kill} where the
   * kernel has it (cgroup v2, Linux 5.14), else one SIGKILL per process listed in {@code
   * cgroup.procs}, round after round (a process may fork between a round's read and its kill), for
   * at most 10 s. Returns whether the cgroup is empty (or gone).
   */
  static boolean kill(Path dir) {
    Path killFile = dir.resolve("cgroup.kill");
    if (Files.exists(killFile)) {
      try {
        write(killFile, "1");
      } catch (IOException e) {
        // not allowed after all: one process at a time below
      }
    }
    long deadline = System.nanoTime() + 10_000_000_000L;
    boolean interrupted = false;
    try {
      while (true) {
        List<String> pids;
        try {
          pids = Files.readAllLines(dir.resolve("cgroup.procs"));
        } catch (IOException e) {
          return !Files.isDirectory(dir);
        }
        pids.removeIf(String::isBlank);
        if (pids.isEmpty()) {
          return true;
        }
        if (System.nanoTime() > deadline) {
          return false;
        }
        for (String pid : pids) {
          try {
            ProcessHandle.of(Long.parseLong(pid.trim())).ifPresent(ProcessHandle::destroyForcibly);
          } catch (NumberFormatException e) {
            // not a pid: nothing to kill
          }
        }
        try {
          Thread.sleep(5);
        } catch (InterruptedException e) {
          interrupted = true; // bounded: finish the job
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Kills the processes left in a cgroup, then removes it (retrying while they die). */
  static void killAndRemove(Path dir) {
    for (int i = 0; i < 50 && Files.isDirectory(dir); i++) {
      kill(dir);
      try {
        Files.delete(dir);
        return;
      } catch (IOException e) {
        try {
          Thread.sleep(20);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /** Creates {@code dir} and removes it again: whether cgroups can be made there. */
  static boolean canCreateIn(Path parent, String probe) {
    Path dir = parent.resolve(probe);
    try {
      Files.createDirectories(dir);
      Files.delete(dir);
      return true;
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return false;
    }
  }
}
