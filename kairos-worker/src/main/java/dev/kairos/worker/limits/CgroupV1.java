package dev.kairos.worker.limits;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * cgroup v1: an attempt gets a cgroup in the memory hierarchy ({@code memory.limit_in_bytes}) and
 * one in the cpu hierarchy ({@code cpu.cfs_quota_us} over a 100 ms period), below the worker's own,
 * in a directory {@code kairos-<owner>} of this worker.
 *
 * @param memory the worker's directory in the memory hierarchy, or null when not writable
 * @param cpu the worker's directory in the cpu hierarchy, or null when not writable
 */
record CgroupV1(Path memory, Path cpu) implements LimitEnforcer {
  private static final long PERIOD_MICROS = 100_000;

  /** The enforcer, or null when neither hierarchy is mounted and writable. */
  static CgroupV1 detect(Path root, String owner) {
    Path memory = writable(root.resolve("memory"), "memory", owner);
    Path cpu = writable(root.resolve("cpu"), "cpu", owner);
    return memory == null && cpu == null ? null : new CgroupV1(memory, cpu);
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
    for (Path dir : java.util.Arrays.asList(memory, cpu)) {
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
        + (cpu == null ? "not enforced (hierarchy not writable)" : "by cpu.cfs_quota_us");
  }

  @Override
  public AttemptLimits apply(long attemptId, Long memoryBytes, Long cpuMillis) throws IOException {
    List<Path> dirs = new ArrayList<>();
    Path mem = null;
    try {
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
    if (dirs.isEmpty()) {
      return NONE;
    }
    Path memDir = mem;
    return new AttemptLimits() {
      @Override
      public List<String> wrap(List<String> command) {
        return Cgroups.joinAndRun(
            dirs.stream().map(d -> d.resolve("cgroup.procs")).toList(), command);
      }

      @Override
      public boolean oomKilled() {
        return memDir != null
            && Cgroups.counter(memDir.resolve("memory.oom_control"), "oom_kill") > 0;
      }

      @Override
      public void close() {
        dirs.forEach(Cgroups::killAndRemove);
      }
    };
  }
}
