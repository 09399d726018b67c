package dev.kairos.core.run;

import dev.kairos.core.spec.TaskSpec;
import java.util.List;

/**
 * A job's tasks, and the same tasks in an order where each comes after its upstream tasks. A run
 * advances once per batch of ended attempts, so the store computes this once per job version and
 * keeps it with the parsed manifest instead of sorting a large DAG on every advance.
 *
 * @param tasks the tasks in the order the job lists them
 * @param upstreamFirst the tasks, each after all of its upstream tasks
 */
public record TaskOrder(List<TaskSpec> tasks, List<TaskSpec> upstreamFirst) {
  public TaskOrder {
    tasks = List.copyOf(tasks);
    upstreamFirst = List.copyOf(upstreamFirst);
    if (tasks.size() != upstreamFirst.size()) {
      throw new IllegalArgumentException("upstreamFirst must hold the same tasks");
    }
  }

  /** Sorts {@code tasks} (acyclic, every dependency one of them: validated with the manifest). */
  public static TaskOrder of(List<TaskSpec> tasks) {
    return new TaskOrder(tasks, RunAdvancer.upstreamFirst(tasks));
  }
}
