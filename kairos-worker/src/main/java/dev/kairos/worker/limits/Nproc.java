package dev.kairos.worker.limits;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code limits.pids} without a pids cgroup: RLIMIT_NPROC, set by util-linux's {@code prlimit}. The
 * kernel counts that limit over every process and thread of the user (the worker's JVM threads and
 * its other attempts included), not over the attempt's, so the attempt gets the user's count when
 * it starts plus its limit: it may start about {@code pids} processes more, as long as the user's
 * other processes do not grow meanwhile. The kernel does not hold a process with CAP_SYS_RESOURCE
 * or CAP_SYS_ADMIN to it (root, outside a container that drops those).
 */
final class Nproc {
  private static final Path PRLIMIT = onPath("prlimit");

  private Nproc() {}

  /** Whether {@code prlimit} is installed. */
  static boolean available() {
    return PRLIMIT != null;
  }

  /**
   * The command, prefixed so that it runs with RLIMIT_NPROC at the user's count plus {@code pids}.
   */
  static List<String> wrap(List<String> command, long pids) {
    if (PRLIMIT == null) {
      return command;
    }
    long limit = userTasks() + pids;
    List<String> wrapped = new ArrayList<>();
    wrapped.add(PRLIMIT.toString());
    wrapped.add("--nproc=" + limit + ":" + limit);
    wrapped.addAll(command);
    return wrapped;
  }

  /** The processes and threads of this process's real user now (what RLIMIT_NPROC counts). */
  static long userTasks() {
    String uid = realUid(Path.of("/proc/self/status"));
    long tasks = 0;
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path dir : dirs) {
        try {
          List<String> status = Files.readAllLines(dir.resolve("status"));
          if (uid != null && uid.equals(field(status, "Uid:"))) {
            String threads = field(status, "Threads:");
            tasks += threads == null ? 1 : Long.parseLong(threads);
          }
        } catch (IOException | NumberFormatException e) {
          // gone meanwhile
        }
      }
    } catch (IOException e) {
      // no /proc
    }
    return tasks;
  }

  private static String realUid(Path status) {
    try {
      return field(Files.readAllLines(status), "Uid:");
    } catch (IOException e) {
      return null;
    }
  }

  /** The first value after {@code key} in a {@code /proc/<pid>/status} file, or null. */
  private static String field(List<String> lines, String key) {
    for (String line : lines) {
      if (line.startsWith(key)) {
        String[] values = line.substring(key.length()).trim().split("\\s+");
        return values.length == 0 ? null : values[0];
      }
    }
    return null;
  }

  private static Path onPath(String name) {
    String path = System.getenv("PATH");
    List<String> dirs = new ArrayList<>(List.of(path == null ? new String[0] : path.split(":")));
    dirs.addAll(List.of("/usr/bin", "/bin"));
    return dirs.stream()
        .filter(d -> !d.isEmpty())
        .map(d -> Path.of(d, name))
        .filter(Files::isExecutable)
        .findFirst()
        .orElse(null);
  }
}
