package dev.kairos.prerequisites;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds live processes by their command line through {@code /proc}, for tests that check that
 * processes are gone (an attempt's, after a timeout or a worker's death) and that clean up what a
 * failing test left running. A process found is not a zombie: a zombie has ended.
 */
public final class Processes {
  private static final Path PROC = Path.of("/proc");

  private Processes() {}

  /** The pids of live processes whose command line is exactly {@code argv}. */
  public static List<Long> running(String... argv) {
    String wanted = String.join("\0", argv) + "\0";
    List<Long> found = new ArrayList<>();
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(PROC, "[0-9]*")) {
      for (Path dir : dirs) {
        try {
          String cmdline =
              new String(Files.readAllBytes(dir.resolve("cmdline")), StandardCharsets.UTF_8);
          if (cmdline.equals(wanted) && !zombie(dir)) {
            found.add(Long.parseLong(dir.getFileName().toString()));
          }
        } catch (IOException | NumberFormatException e) {
          // gone meanwhile, or not ours to read
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot list /proc (not Linux?)", e);
    }
    return found;
  }

  /** SIGKILLs the live processes whose command line is exactly {@code argv}; returns how many. */
  public static int kill(String... argv) {
    List<Long> pids = running(argv);
    pids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    return pids.size();
  }

  private static boolean zombie(Path dir) throws IOException {
    String stat = Files.readString(dir.resolve("stat"), StandardCharsets.ISO_8859_1);
    String state = stat.substring(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state.equals("Z") || state.equals("X");
  }
}
