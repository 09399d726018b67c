package dev.kairos.worker.limits;

import java.util.ArrayList;
import java.util.List;

/**
 * Without a writable cgroup: memory by {@code ulimit -v} (the address space; an allocation past it
 * fails inside the task, which usually exits with an error: the attempt ends FAILED, not
 * OOM_KILLED), cpu by {@code nice} (a cpu limit under one core runs the task at nice 10: a lower
 * priority, not a cap), processes by RLIMIT_NPROC (see {@link Nproc}).
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
        + " OOM_KILLED), cpu by nice (a priority, not a cap), pids "
        + (Nproc.available()
            ? "by RLIMIT_NPROC (prlimit; counted over the user's processes)"
            : "not enforced (no prlimit)");
  }

  @Override
  public AttemptLimits apply(long attemptId, Long memoryBytes, Long cpuMillis, Long pids) {
    boolean shell = memoryBytes != null || (cpuMillis != null && cpuMillis < 1_000);
    if (!shell && pids == null) {
      return NONE;
    }
    String kib = memoryBytes == null ? "-" : String.valueOf(Math.max(1, memoryBytes / 1024));
    String nice = cpuMillis != null && cpuMillis < 1_000 ? "10" : "-";
    return new AttemptLimits() {
      @Override
      public List<String> wrap(List<String> command) {
        List<String> wrapped = new ArrayList<>();
        if (shell) {
          wrapped.addAll(List.of("/bin/sh", "-c", SCRIPT, "kairos-limits", kib, nice));
        }
        wrapped.addAll(command);
        return pids == null ? wrapped : Nproc.wrap(wrapped, pids);
      }

      @Override
      public boolean oomKilled() {
        return false;
      }

      @Override
      public boolean killAll() {
        return false;
      }

      @Override
      public void close() {}
    };
  }
}
