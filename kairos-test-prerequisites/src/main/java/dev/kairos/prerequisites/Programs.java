package dev.kairos.prerequisites;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Finds the programs that tests run (a browser, PostgreSQL's tools, runuser). */
public final class Programs {
  /** Searched after PATH, which for a non-root user often lacks the sbin directories. */
  private static final List<String> SYSTEM_DIRS = List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin");

  private Programs() {}

  /**
   * The program the environment variable names when it is set (whether or not it exists, so that a
   * wrong setting is reported rather than passed over), else {@link #onPath}.
   */
  public static Path find(String variable, String name) {
    String set = System.getenv(variable);
    return set == null || set.isBlank() ? onPath(name) : Path.of(set);
  }

  /** The first executable of this name on PATH, then in the system directories; null if none. */
  public static Path onPath(String name) {
    String path = System.getenv("PATH");
    List<String> dirs = new ArrayList<>(List.of(path == null ? new String[0] : path.split(":")));
    dirs.addAll(SYSTEM_DIRS);
    for (String dir : dirs) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
        return Path.of(dir, name);
      }
    }
    return null;
  }
}
