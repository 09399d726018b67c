package dev.kairos.worker.limits;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * cgroup v1: an attempt gets a cgroup in the memory hierarchy ({@code memory.limit_in_bytes}) and
 * one in the cpu hierarchy ({@code cpu.cfs_quota_us} over a 100 ms period) when it has those
 * limits, and one in the pids hierarchy ({@code pids.max}) always, below the worker's own, in a
 * directory {@code kairos-<owner>} of this worker. The pids cgroup holds all the attempt's
 * processes, limit or not: it is how they are all found and killed.
 *
 * @param memory the worker's directory in the memory hierarchy, or null when not writable
 * @param cpu the worker's directory in the cpu hierarchy, or null when not writable
 * @param pids the worker's directory in the pids hierarchy, or null when not writable
 */
record CgroupV1(Path memory, Path cpu, Path pids) implements LimitEnforcer {
  private static final long PERIOD_MICROS = 100_000;

  /** The enforcer, or null when none of the hierarchies is mounted and writable. */
  static CgroupV1 detect(Path root, String owner) {
    Path memory = writable(root.resolve("memory"), "memory", owner);
    Path cpu = writable(root.resolve("cpu"), "cpu", owner);
    Path pids = writable(root.resolve("pids"), "pids", owner);
    return memory == null && cpu == null && pids == null ? null : new CgroupV1(memory, cpu, pids);
  }

  private static Path writable(Path hierarchy, String controller, String owner) {
    if (!Files.isRegularFile(hierarchy.resolve("cgroup.procs"))) {
      return null;
    }
    Optional<String> self = Cgroups.selfPath(controller);
    if (self.isEmpty()) {
      return null;
    }
    Path mine = hierarchy.resolve(self.get().replaceFirst("^/", "")).resolve("kairos-" + owner);
    try {
      Files.createDirectories(mine);
      return Cgroups.canCreateIn(mine, "probe") ? mine : null;
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return null;
    }
  }

  @Override
  public void close() {
    for (Path dir : Arrays.asList(memory, cpu, pids)) {
      if (dir != null) {
        Cgroups.killAndRemove(dir);
      }
    }
  }

  @Override
  public String describe() {
    return "cgroup v1: memory "
        + (memory == null ? "not enforced (hierarchy not writable)" : "by memory.limit_in_bytes")
        + ", cpu "
        + (cpu == null ? "not enforced (hierarchy not writable)" : "by cpu.cfs_quota_us")
        + ", pids "
        + (pids != null
            ? "by pids.max, a pids cgroup per attempt"
            : Nproc.available()
                ? "by RLIMIT_NPROC (prlimit; pids hierarchy not writable)"
                : "not enforced (hierarchy not writable)");
  }

  @Override
  public AttemptLimits apply(long attemptId, Long memoryBytes, Long cpuMillis, Long pidsMax)
      throws IOException {
    List<Path> dirs = new ArrayList<>();
    Path mem = null;
    try {
      if (pids != null) {
        Path p = Files.createDirectories(pids.resolve("attempt-" + attemptId));
        dirs.add(p);
        if (pidsMax != null) {
          Cgroups.write(p.resolve("pids.max"), String.valueOf(pidsMax));
        }
      }
      if (memoryBytes != null && memory != null) {
        mem = Files.createDirectories(memory.resolve("attempt-" + attemptId));
        dirs.add(mem);
        Cgroups.write(mem.resolve("memory.limit_in_bytes"), String.valueOf(memoryBytes));
      }
      if (cpuMillis != null && cpu != null) {
        Path c = Files.createDirectories(cpu.resolve("attempt-" + attemptId));
        dirs.add(c);
        Cgroups.write(c.resolve("cpu.cfs_period_us"), String.valueOf(PERIOD_MICROS));
        Cgroups.write(
            c.resolve("cpu.cfs_quota_us"),
            String.valueOf(Math.max(1_000, cpuMillis * PERIOD_MICROS / 1_000)));
      }
    } catch (IOException e) {
      dirs.forEach(Cgroups::killAndRemove);
      throw e;
    }
    boolean nproc = pidsMax != null && pids == null;
    if (dirs.isEmpty() && !nproc) {
      return NONE;
    }
    Path memDir = mem;
    return new AttemptLimits() {
      @Override
      public List<String> wrap(List<String> command) {
        List<String> joined =
            dirs.isEmpty()
                ? command
                : Cgroups.joinAndRun(
                    dirs.stream().map(d -> d.resolve("cgroup.procs")).toList(), command);
        return nproc ? Nproc.wrap(joined, pidsMax) : joined;
      }

      @Override
      public boolean oomKilled() {
        return memDir != null
            && Cgroups.counter(memDir.resolve("memory.oom_control"), "oom_kill") > 0;
      }

      @Override
      public boolean killAll() {
        // each of its cgroups holds all its processes; none holds them if it has none
        return !dirs.isEmpty() && Cgroups.kill(dirs.get(0));
      }

      @Override
      public void close() {
        dirs.stream().filter(Objects::nonNull).forEach(Cgroups::killAndRemove);
      }
    };
  }
}
