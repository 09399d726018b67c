package dev.kairos.worker.limits;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * cgroup v2: every attempt gets a cgroup, with {@code memory.max}, {@code cpu.max} and {@code
 * pids.max} when it has those limits, below a directory {@code kairos-<owner>} of this worker next
 * to (not in) its own cgroup's processes, with the memory and cpu controllers (and pids, where
 * available) enabled for it. The cgroup holds all the attempt's processes, and {@code cgroup.kill}
 * kills them.
 *
 * @param base the worker's directory, whose children get the controllers
 * @param pids whether the pids controller is enabled for the attempts' cgroups
 */
record CgroupV2(Path base, boolean pids) implements LimitEnforcer {
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
      boolean pids = available.contains("pids") && enablePids(parent, mine);
      return Cgroups.canCreateIn(mine, "probe") ? new CgroupV2(mine, pids) : null;
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return null;
    }
  }

  private static boolean enablePids(Path parent, Path mine) {
    try {
      Cgroups.write(parent.resolve("cgroup.subtree_control"), "+pids");
      Cgroups.write(mine.resolve("cgroup.subtree_control"), "+pids");
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void close() {
    Cgroups.killAndRemove(base);
  }

  @Override
  public String describe() {
    return "cgroup v2: memory by memory.max, cpu by cpu.max, pids by "
        + (pids ? "pids.max" : Nproc.available() ? "RLIMIT_NPROC (prlimit)" : "nothing")
        + "; a cgroup per attempt under "
        + base;
  }

  @Override
  public AttemptLimits apply(long attemptId, Long memoryBytes, Long cpuMillis, Long pidsMax)
      throws IOException {
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
      if (pidsMax != null && pids) {
        Cgroups.write(dir.resolve("pids.max"), String.valueOf(pidsMax));
      }
    } catch (IOException e) {
      Cgroups.killAndRemove(dir);
      throw e;
    }
    return new AttemptLimits() {
      @Override
      public List<String> wrap(List<String> command) {
        List<String> joined = Cgroups.joinAndRun(List.of(dir.resolve("cgroup.procs")), command);
        return pidsMax != null && !pids ? Nproc.wrap(joined, pidsMax) : joined;
      }

      @Override
      public boolean oomKilled() {
        return Cgroups.counter(dir.resolve("memory.events"), "oom_kill") > 0;
      }

      @Override
      public boolean killAll() {
        return Cgroups.kill(dir);
      }

      @Override
      public void close() {
        Cgroups.killAndRemove(dir);
      }
    };
  }
}
