package dev.kairos.core.run;

import dev.kairos.core.spec.TaskSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Decides how a run proceeds from the latest attempt state of each of its tasks. Pure: the store
 * calls it inside the transaction that records a completion. A task runs when all its upstream
 * tasks succeeded; a run succeeds when every task succeeded and fails as soon as a task has failed
 * for good and nothing else is still running.
 */
public final class RunAdvancer {
  private RunAdvancer() {}

  /**
   * @param tasks the run's DAG
   * @param latest the latest attempt state of each task that has had an attempt; a task that failed
   *     and has a retry queued appears as QUEUED
   */
  public static RunAdvance advance(List<TaskSpec> tasks, Map<String, AttemptState> latest) {
    List<String> queue = new ArrayList<>();
    String failed = null;
    boolean busy = false;
    boolean allSucceeded = true;
    for (TaskSpec task : tasks) {
      AttemptState state = latest.get(task.name());
      if (state == null) {
        allSucceeded = false;
        if (task.dependsOn().stream().allMatch(d -> latest.get(d) == AttemptState.SUCCEEDED)) {
          queue.add(task.name());
        }
        continue;
      }
      if (state != AttemptState.SUCCEEDED) {
        allSucceeded = false;
      }
      if (!state.terminal()) {
        busy = true;
      } else if (state != AttemptState.SUCCEEDED && failed == null) {
        failed = task.name() + " ended " + state;
      }
    }
    if (allSucceeded) {
      return new RunAdvance(List.of(), RunState.SUCCEEDED, null);
    }
    if (failed != null) {
      // downstream of a failure never runs: stop queueing, finish once in-flight work is done
      return new RunAdvance(List.of(), busy ? null : RunState.FAILED, failed);
    }
    return new RunAdvance(queue, null, null);
  }
}
