package dev.kairos.worker.limits;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * cgroup v2: an attempt gets a cgroup with {@code memory.max} and {@code cpu.max}, below a
 * directory {@code kairos-<owner>} of this worker next to (not in) its own cgroup's processes, with
 * the memory and cpu controllers enabled for it.
 *
 * @param base the worker's directory, whose children get the memory and cpu controllers
 */
record CgroupV2(Path base) implements LimitEnforcer {
  private static final long PERIOD_MICROS = 100_000;

  /** The enforcer, or null when cgroup v2 is not mounted or the controllers cannot be delegated. */
  static CgroupV2 detect(Path root, String owner) {
    if (!Files.isRegularFile(root.resolve("cgroup.controllers"))) {
      return null; // not a cgroup v2 mount (a v1 or hybrid layout)
    }
    Optional<String> self = Cgroups.selfPath("");
    if (self.isEmpty()) {
      return null;
    }
    Path parent = root.resolve(self.get().replaceFirst("^/", ""));
    try {
      String available = Files.readString(parent.resolve("cgroup.controllers"));
      if (!available.contains("memory") || !available.contains("cpu")) {
        return null;
      }
      // a cgroup with processes cannot pass controllers to its children, except the root: this
      // works where the worker runs at the root of its cgroup namespace (a container) or was given
      // a delegated subtree
      Cgroups.write(parent.resolve("cgroup.subtree_control"), "+memory +cpu");
      Path mine = Files.createDirectories(parent.resolve("kairos-" + owner));
      Cgroups.write(mine.resolve("cgroup.subtree_control"), "+memory +cpu");
      return Cgroups.canCreateIn(mine, "probe") ? new CgroupV2(mine) : null;
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return null;
    }
  }

  @Override
  public void close() {
    for (Path dir : java.util.Arrays.asList(base)) {
      if (dir != null) {
        Cgroups.killAndRemove(dir);
      }
    }
  }

  @Override
  public String describe() {
    return "cgroup v2: memory by memory.max, cpu by cpu.max, under " + base;
  }

  @Override
  public AttemptLimits apply(long attemptId, Long memoryBytes, Long cpuMillis) throws IOException {
    if (memoryBytes == null && cpuMillis == null) {
      return NONE;
    }
    Path dir = Files.createDirectories(base.resolve("attempt-" + attemptId));
    try {
      if (memoryBytes != null) {
        Cgroups.write(dir.resolve("memory.max"), String.valueOf(memoryBytes));
        if (Files.exists(dir.resolve("memory.swap.max"))) {
          // the limit is on memory, not on memory plus swap
          Cgroups.write(dir.resolve("memory.swap.max"), "0");
        }
      }
      if (cpuMillis != null) {
        long quota = Math.max(1_000, cpuMillis * PERIOD_MICROS / 1_000);
        Cgroups.write(dir.resolve("cpu.max"), quota + " " + PERIOD_MICROS);
      }
    } catch (IOException e) {
      Cgroups.killAndRemove(dir);
      throw e;
    }
    return new AttemptLimits() {
      @Override
      public List<String> wrap(List<String> command) {
        return Cgroups.joinAndRun(List.of(dir.resolve("cgroup.procs")), command);
      }

      @Override
      public boolean oomKilled() {
        return Cgroups.counter(dir.resolve("memory.events"), "oom_kill") > 0;
      }

      @Override
      public void close() {
        Cgroups.killAndRemove(dir);
      }
    };
  }
}
