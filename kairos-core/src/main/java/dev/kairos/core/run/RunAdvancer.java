package dev.kairos.core.run;

import dev.kairos.core.spec.TaskSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides how a run proceeds from the latest attempt state of each of its tasks. Pure: the store
 * calls it inside the transaction that records a completion.
 *
 * <p>A task without an attempt is decided by its trigger rule from how its upstream tasks stand: it
 * runs (is queued), waits, or can never run and is SKIPPED or UPSTREAM_FAILED. Those two are
 * derived, never stored: the same attempts always give the same decisions, so they are recomputed
 * wherever they are needed. The run ends once every task has ended or been decided never to run:
 * SUCCEEDED if every task SUCCEEDED or was SKIPPED, FAILED otherwise (a failure that a cleanup task
 * with {@code allFailed} or {@code allDone} handled still fails the run, unlike Airflow, whose run
 * outcome looks only at its leaf tasks).
 */
public final class RunAdvancer {
  private RunAdvancer() {}

  /** Where a task stands, as its downstream tasks' rules see it. */
  public enum TaskOutcome {
    /** Its upstream tasks have not got far enough to decide. */
    WAITING,
    /** Queued or running (or about to be queued). */
    ACTIVE,
    SUCCEEDED,
    /** Failed, timed out or lost after its retries, or cancelled. */
    FAILED,
    /** Its rule can never be met, and not because an upstream failed. */
    SKIPPED,
    /** Its rule can never be met because upstream tasks failed. */
    UPSTREAM_FAILED;

    boolean ended() {
      return this != WAITING && this != ACTIVE;
    }

    /** Counted as failed by trigger rules. */
    boolean failed() {
      return this == FAILED || this == UPSTREAM_FAILED;
    }

    static TaskOutcome of(AttemptState state) {
      return switch (state) {
        case QUEUED, RUNNING -> ACTIVE;
        case SUCCEEDED -> SUCCEEDED;
        case FAILED, TIMED_OUT, OOM_KILLED, LOST, CANCELLED -> FAILED;
      };
    }
  }

  /**
   * @param tasks the run's DAG (acyclic, every dependency a task: validated with the manifest)
   * @param latest the latest attempt state of each task that has had an attempt; a task that failed
   *     and has a retry queued appears as QUEUED
   */
  public static RunAdvance advance(List<TaskSpec> tasks, Map<String, AttemptState> latest) {
    return advance(tasks, latest, Map.of());
  }

  /**
   * @param marks tasks an operator marked SUCCEEDED or SKIPPED: they stand so, whatever their
   *     attempts (which are then no longer in {@code latest})
   */
  public static RunAdvance advance(
      List<TaskSpec> tasks, Map<String, AttemptState> latest, Map<String, TaskOutcome> marks) {
    return advance(TaskOrder.of(tasks), latest, marks);
  }

  /** {@link #advance(List, Map, Map)} with the tasks already sorted (large DAGs, many advances). */
  public static RunAdvance advance(
      TaskOrder order, Map<String, AttemptState> latest, Map<String, TaskOutcome> marks) {
    List<TaskSpec> tasks = order.tasks();
    Map<String, TaskOutcome> outcomes = outcomes(order, latest, marks);
    List<String> queue = new ArrayList<>();
    for (TaskSpec task : tasks) {
      if (!latest.containsKey(task.name())
          && !marks.containsKey(task.name())
          && outcomes.get(task.name()) == TaskOutcome.ACTIVE) {
        queue.add(task.name());
      }
    }
    if (!outcomes.values().stream().allMatch(TaskOutcome::ended)) {
      return new RunAdvance(queue, null, null);
    }
    List<String> failed =
        tasks.stream()
            .map(TaskSpec::name)
            .filter(n -> outcomes.get(n) == TaskOutcome.FAILED)
            .toList();
    long upstreamFailed =
        outcomes.values().stream().filter(o -> o == TaskOutcome.UPSTREAM_FAILED).count();
    if (failed.isEmpty() && upstreamFailed == 0) {
      return new RunAdvance(List.of(), RunState.SUCCEEDED, null);
    }
    // e.g. "task extract failed; 2 not run (upstream failed)", "tasks a failed, b timed out"
    String reason =
        (failed.isEmpty()
                ? ""
                : (failed.size() == 1 ? "task " : "tasks ") + describe(failed, latest))
            + (upstreamFailed == 0
                ? ""
                : (failed.isEmpty() ? "" : "; ") + upstreamFailed + " not run (upstream failed)");
    return new RunAdvance(List.of(), RunState.FAILED, reason);
  }

  private static String describe(List<String> failed, Map<String, AttemptState> latest) {
    return String.join(
        ", ",
        failed.stream()
            .map(n ->
                n + " " + latest.get(n).name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '))
            .toList());
  }

  /**
   * How every task stands: from its latest attempt, or, without one, from its trigger rule over its
   * upstream tasks' outcomes (decided upstream first).
   */
  public static Map<String, TaskOutcome> outcomes(
      List<TaskSpec> tasks, Map<String, AttemptState> latest) {
    return outcomes(tasks, latest, Map.of());
  }

  /** {@link #outcomes(List, Map)} with the tasks an operator marked. */
  public static Map<String, TaskOutcome> outcomes(
      List<TaskSpec> tasks, Map<String, AttemptState> latest, Map<String, TaskOutcome> marks) {
    return outcomes(TaskOrder.of(tasks), latest, marks);
  }

  /** {@link #outcomes(List, Map, Map)} with the tasks already sorted. */
  public static Map<String, TaskOutcome> outcomes(
      TaskOrder order, Map<String, AttemptState> latest, Map<String, TaskOutcome> marks) {
    Map<String, TaskOutcome> outcomes = LinkedHashMap.newLinkedHashMap(order.tasks().size());
    // upstream first, without recursion: a DAG may be a chain of thousands of tasks
    for (TaskSpec task : order.upstreamFirst()) {
      TaskOutcome outcome = marks.get(task.name());
      if (outcome == null) {
        AttemptState state = latest.get(task.name());
        if (state != null) {
          outcome = TaskOutcome.of(state);
        } else {
          List<TaskOutcome> upstream = new ArrayList<>(task.dependsOn().size());
          for (String name : task.dependsOn()) {
            upstream.add(outcomes.get(name));
          }
          outcome = rule(task, upstream);
        }
      }
      outcomes.put(task.name(), outcome);
    }
    return outcomes;
  }

  /** The tasks in an order where every task comes after its upstream tasks (Kahn's algorithm). */
  static List<TaskSpec> upstreamFirst(List<TaskSpec> tasks) {
    Map<String, Integer> waitingFor = new HashMap<>();
    Map<String, List<TaskSpec>> downstream = new HashMap<>();
    java.util.ArrayDeque<TaskSpec> ready = new java.util.ArrayDeque<>();
    for (TaskSpec t : tasks) {
      waitingFor.put(t.name(), t.dependsOn().size());
      for (String up : t.dependsOn()) {
        downstream.computeIfAbsent(up, k -> new ArrayList<>()).add(t);
      }
      if (t.dependsOn().isEmpty()) {
        ready.add(t);
      }
    }
    List<TaskSpec> order = new ArrayList<>(tasks.size());
    while (!ready.isEmpty()) {
      TaskSpec t = ready.poll();
      order.add(t);
      for (TaskSpec d : downstream.getOrDefault(t.name(), List.of())) {
        if (waitingFor.merge(d.name(), -1, Integer::sum) == 0) {
          ready.add(d);
        }
      }
    }
    if (order.size() != tasks.size()) {
      throw new IllegalArgumentException("the tasks' dependencies form a cycle");
    }
    return order;
  }

  /** A task without an attempt: ACTIVE (queue it), WAITING, SKIPPED or UPSTREAM_FAILED. */
  static TaskOutcome rule(TaskSpec task, List<TaskOutcome> upstream) {
    int succeeded = 0;
    int failed = 0;
    int skipped = 0;
    int pending = 0;
    for (TaskOutcome o : upstream) {
      if (o == TaskOutcome.SUCCEEDED) {
        succeeded++;
      } else if (o.failed()) {
        failed++;
      } else if (o == TaskOutcome.SKIPPED) {
        skipped++;
      } else {
        pending++;
      }
    }
    boolean done = pending == 0;
    return switch (task.triggerRule()) {
      case ALL_SUCCESS ->
          failed > 0
              ? TaskOutcome.UPSTREAM_FAILED
              : skipped > 0 ? TaskOutcome.SKIPPED : done ? TaskOutcome.ACTIVE : TaskOutcome.WAITING;
      case ALL_DONE -> done ? TaskOutcome.ACTIVE : TaskOutcome.WAITING;
      case ALL_FAILED ->
          succeeded > 0 || skipped > 0
              ? TaskOutcome.SKIPPED
              : done ? TaskOutcome.ACTIVE : TaskOutcome.WAITING;
      case ONE_SUCCESS ->
          succeeded > 0 || upstream.isEmpty()
              ? TaskOutcome.ACTIVE
              : !done
                  ? TaskOutcome.WAITING
                  : failed > 0 ? TaskOutcome.UPSTREAM_FAILED : TaskOutcome.SKIPPED;
      case ONE_FAILED ->
          failed > 0 || upstream.isEmpty()
              ? TaskOutcome.ACTIVE
              : done ? TaskOutcome.SKIPPED : TaskOutcome.WAITING;
      case NONE_FAILED ->
          failed > 0
              ? TaskOutcome.UPSTREAM_FAILED
              : done ? TaskOutcome.ACTIVE : TaskOutcome.WAITING;
    };
  }
}
