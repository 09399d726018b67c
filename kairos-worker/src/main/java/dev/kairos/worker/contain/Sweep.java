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
  private static final long SELF = ProcessHandle.current().pid();

  private Sweep() {}

  /** The live processes {@code selector} picks, and their live descendants. */
  static Set<Long> find(Predicate<ProcTable.Proc> selector) {
    List<ProcTable.Proc> table = ProcTable.snapshot();
    Map<Long, List<ProcTable.Proc>> children = new HashMap<>();
    Map<Long, Long> parents = new HashMap<>();
    for (ProcTable.Proc p : table) {
      children.computeIfAbsent(p.ppid(), k -> new ArrayList<>()).add(p);
      parents.put(p.pid(), p.ppid());
    }
    Set<Long> spared = new HashSet<>();
    for (Long pid = SELF; pid != null && spared.add(pid); pid = parents.get(pid)) {
      // the worker and the processes above it
    }
    Set<Long> found = new HashSet<>();
    Deque<ProcTable.Proc> todo = new ArrayDeque<>();
    for (ProcTable.Proc p : table) {
      if (!p.ended() && !spared.contains(p.pid()) && selector.test(p)) {
        todo.add(p);
      }
    }
    while (!todo.isEmpty()) {
      ProcTable.Proc p = todo.poll();
      if (found.add(p.pid())) {
        for (ProcTable.Proc child : children.getOrDefault(p.pid(), List.of())) {
          if (!child.ended() && !spared.contains(child.pid())) {
            todo.add(child);
          }
        }
      }
    }
    return found;
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
    long deadline = System.nanoTime() + bound.toNanos();
    Set<Long> killed = new HashSet<>();
    long pause = 1;
    boolean interrupted = false;
    try {
      while (true) {
        Set<Long> pids = find(selector);
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
