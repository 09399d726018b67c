package dev.kairos.worker.contain;

import java.util.random.RandomGenerator;

/**
 * One worker's run of its shell executor, which names the marks of its attempts' processes: the
 * worker's process (its pid and start time, which together name one process for good) and a random
 * part, since one process may run several workers (tests, an embedded SDK worker).
 *
 * @param startTicks the worker process's start, in clock ticks since boot ({@code /proc})
 */
record Instance(long pid, long startTicks, String nonce) {
  /** The worker process this runs in, with a fresh random part. */
  static Instance self(RandomGenerator random) {
    long pid = ProcessHandle.current().pid();
    ProcTable.Proc me = ProcTable.read(pid);
    return new Instance(
        pid, me == null ? 0 : me.startTicks(), Long.toHexString(random.nextLong() & 0xffffffffL));
  }

  /** {@code <pid>-<startTicks>-<nonce>}: letters, digits and '-' only, so a pattern as it is. */
  String id() {
    return pid + "-" + startTicks + "-" + nonce;
  }

  /** The instance an {@link #id()} names, or null when it names none. */
  static Instance parse(String id) {
    String[] parts = id.split("-");
    if (parts.length != 3 || !parts[2].matches("[0-9a-f]{1,16}")) {
      return null;
    }
    try {
      return new Instance(Long.parseLong(parts[0]), Long.parseLong(parts[1]), parts[2]);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** Whether its worker process still runs (a process with its pid that started when it did). */
  boolean alive() {
    ProcTable.Proc p = ProcTable.read(pid);
    return p != null && !p.ended() && p.startTicks() == startTicks;
  }

  /** What the mark of each of its attempts' processes starts with. */
  String markPrefix() {
    return id() + "/";
  }
}
