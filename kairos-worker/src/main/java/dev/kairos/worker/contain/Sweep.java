package dev.kairos.worker.contain;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Finds the processes a selector picks, with all their descendants, and signals them. A process
 * that leaves its parent's process group (setsid) or its parent (a daemon's double fork) still
 * carries what the selector looks at (its mark); a descendant that cleared its environment is still
 * found through its parent, as long as the parent lives: every round reads the whole table before
 * it kills anything, so that parents and children go in the same round. The worker itself and its
 * ancestors are never picked.
 */
final class Sweep {
  private Sweep() {}

  /** The live processes {@code selector} picks, and their live descendants. */
  static Set<Long> find(Predicate<ProcTable.Proc> selector) {
    return find(selector, 0);
  }

  /**
   * As {@link #find(Predicate)}, reading only processes with a pid of at least {@code fromPid}
   * unless pids have wrapped around since (see {@link ProcTable#snapshot(long)}).
   */
  static Set<Long> find(Predicate<ProcTable.Proc> selector, long fromPid) {
    List<ProcTable.Proc> table = ProcTable.snapshot(fromPid);
    Map<Long, List<ProcTable.Proc>> children = new HashMap<>();
    for (ProcTable.Proc p : table) {
      children.computeIfAbsent(p.ppid(), k -> new ArrayList<>()).add(p);
    }
    Set<Long> found = new HashSet<>();
    Deque<ProcTable.Proc> todo = new ArrayDeque<>();
    for (ProcTable.Proc p : table) {
      if (!p.ended() && selector.test(p)) {
        todo.add(p);
      }
    }
    Set<Long> spared = todo.isEmpty() ? Set.of() : selfAndAncestors();
    while (!todo.isEmpty()) {
      ProcTable.Proc p = todo.poll();
      if (!spared.contains(p.pid()) && found.add(p.pid())) {
        for (ProcTable.Proc child : children.getOrDefault(p.pid(), List.of())) {
          if (!child.ended()) {
            todo.add(child);
          }
        }
      }
    }
    return found;
  }

  /** The worker's process and those above it, which no sweep may kill. */
  private static Set<Long> selfAndAncestors() {
    Set<Long> pids = new HashSet<>();
    for (ProcessHandle h = ProcessHandle.current(); h != null && pids.add(h.pid()); ) {
      h = h.parent().orElse(null);
    }
    return pids;
  }

  /** SIGTERM to what {@code selector} picks and their descendants, once; returns how many. */
  static int terminate(Predicate<ProcTable.Proc> selector) {
    Set<Long> pids = find(selector);
    pids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy));
    return pids.size();
  }

  /**
   * SIGKILL to what {@code selector} picks and their descendants, again and again until a round
   * finds none (a process may fork between a round's read and its kill), for at most {@code bound}.
   * Returns how many it killed, or -1 if some were still alive at the end.
   */
  static int kill(Predicate<ProcTable.Proc> selector, Duration bound) {
    return kill(selector, 0, bound);
  }

  /** As {@link #kill(Predicate, Duration)}, reading as {@link #find(Predicate, long)} does. */
  static int kill(Predicate<ProcTable.Proc> selector, long fromPid, Duration bound) {
    long deadline = System.nanoTime() + bound.toNanos();
    Set<Long> killed = new HashSet<>();
    long pause = 1;
    boolean interrupted = false;
    try {
      while (true) {
        Set<Long> pids = find(selector, fromPid);
        if (pids.isEmpty()) {
          return killed.size();
        }
        if (System.nanoTime() > deadline) {
          return -1;
        }
        for (long pid : pids) {
          if (ProcessHandle.of(pid).map(ProcessHandle::destroyForcibly).orElse(false)) {
            killed.add(pid);
          }
        }
        // a killed process is gone a moment later (its zombie is left out of the next round)
        try {
          Thread.sleep(pause);
        } catch (InterruptedException e) {
          interrupted = true; // finish the job: it is bounded, and it is what stopping is for
        }
        pause = Math.min(50, pause * 2);
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
