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
 * Finds the processes of a {@link Target}, with all their descendants, and signals them. A process
 * that leaves its parent's process group (setsid) or its parent (a daemon's double fork) still
 * carries its mark; a descendant that cleared its environment is still found through its parent, as
 * long as the parent lives (every round reads the whole table before it kills anything, so that
 * parents and children go in the same round), or through its process group while a marked process
 * is still in it. The worker itself and its ancestors are never picked.
 */
final class Sweep {
  private Sweep() {}

  /**
   * What to find.
   *
   * @param marked picks the processes that carry the mark
   * @param group a process group whose members belong too, as long as a marked process is in it
   *     (which proves the group is the attempt's: its id cannot be handed out again while it has a
   *     member); 0 for none
   * @param fromPid read only processes with a pid of at least this, unless pids have wrapped around
   *     since (see {@link ProcTable#snapshot(long)}); 0 to read every process
   */
  record Target(Predicate<ProcTable.Proc> marked, long group, long fromPid) {}

  /** The live processes of the target, and their live descendants. */
  static Set<Long> find(Target target) {
    List<ProcTable.Proc> table = ProcTable.snapshot(target.fromPid());
    Map<Long, List<ProcTable.Proc>> children = new HashMap<>();
    for (ProcTable.Proc p : table) {
      children.computeIfAbsent(p.ppid(), k -> new ArrayList<>()).add(p);
    }
    Deque<ProcTable.Proc> todo = new ArrayDeque<>();
    boolean groupIsOurs = false;
    for (ProcTable.Proc p : table) {
      if (!p.ended() && target.marked().test(p)) {
        todo.add(p);
        groupIsOurs |= target.group() != 0 && p.pgid() == target.group();
      }
    }
    if (groupIsOurs) {
      for (ProcTable.Proc p : table) {
        if (!p.ended() && p.pgid() == target.group()) {
          todo.add(p);
        }
      }
    }
    Set<Long> spared = todo.isEmpty() ? Set.of() : selfAndAncestors();
    Set<Long> found = new HashSet<>();
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

  /** SIGTERM to the target's processes and their descendants, once; returns how many. */
  static int terminate(Target target) {
    Set<Long> pids = find(target);
    pids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy));
    return pids.size();
  }

  /**
   * SIGKILL to the target's processes and their descendants, again and again until a round finds
   * none (a process may fork between a round's read and its kill), for at most {@code bound}.
   * Returns how many it killed, or -1 if some were still alive at the end.
   */
  static int kill(Target target, Duration bound) {
    long deadline = System.nanoTime() + bound.toNanos();
    Set<Long> killed = new HashSet<>();
    long pause = 1;
    boolean interrupted = false;
    try {
      while (true) {
        Set<Long> pids = find(target);
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
