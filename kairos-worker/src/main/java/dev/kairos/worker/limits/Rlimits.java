package dev.kairos.worker.limits;

import java.util.ArrayList;
import java.util.List;

/**
 * Without a writable cgroup: memory by {@code ulimit -v} (the address space; an allocation past it
 * fails inside the task, which usually exits with an error: the attempt ends FAILED, not
 * OOM_KILLED), cpu by {@code nice} (a cpu limit under one core runs the task at nice 10: a lower
 * priority, not a cap).
 */
record Rlimits() implements LimitEnforcer {
  /** {@code sh -c SCRIPT kairos-limits KIB NICE COMMAND...}, "-" for a limit not set. */
  static final String SCRIPT =
      "[ \"$1\" = - ] || ulimit -v \"$1\" || exit 125; n=$2; shift 2;"
          + " if [ \"$n\" = - ]; then exec \"$@\"; else exec nice -n \"$n\" \"$@\"; fi";

  @Override
  public boolean detectsOomKills() {
    return false;
  }

  @Override
  public String describe() {
    return "no writable cgroup: memory by ulimit -v (an allocation past it fails; not reported as"
        + " OOM_KILLED), cpu by nice (a priority, not a cap)";
  }

  @Override
  public AttemptLimits apply(long attemptId, Long memoryBytes, Long cpuMillis) {
    if (memoryBytes == null && (cpuMillis == null || cpuMillis >= 1_000)) {
      return NONE;
    }
    String kib = memoryBytes == null ? "-" : String.valueOf(Math.max(1, memoryBytes / 1024));
    String nice = cpuMillis != null && cpuMillis < 1_000 ? "10" : "-";
    return new AttemptLimits() {
      @Override
      public List<String> wrap(List<String> command) {
        List<String> wrapped = new ArrayList<>(List.of("/bin/sh", "-c", SCRIPT, "kairos-limits"));
        wrapped.add(kib);
        wrapped.add(nice);
        wrapped.addAll(command);
        return wrapped;
      }

      @Override
      public boolean oomKilled() {
        return false;
      }

      @Override
      public void close() {}
    };
  }
}
