package dev.kairos.sdk;

import dev.kairos.core.protocol.Assignment;
import dev.kairos.worker.executor.ExecutionContext;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** What a {@link TaskHandler} knows about the attempt it runs, and how it talks back. */
public final class TaskContext {
  private final Assignment assignment;
  private final ExecutionContext execution;

  TaskContext(Assignment assignment, ExecutionContext execution) {
    this.assignment = assignment;
    this.execution = execution;
  }

  public long runId() {
    return assignment.runId();
  }

  /** {@code namespace/name} of the job. */
  public String job() {
    return assignment.namespace() + "/" + assignment.job();
  }

  public String task() {
    return assignment.task().name();
  }

  /** 1 for the first try. */
  public int attempt() {
    return assignment.attempt();
  }

  /** The same for every retry of this task in this run: use it to make side effects idempotent. */
  public String idempotencyKey() {
    return assignment.idempotencyKey();
  }

  /** The schedule fire time the run is for (empty for a run triggered by hand). */
  public Optional<Instant> fireTime() {
    return Optional.ofNullable(assignment.fireTime());
  }

  /**
   * The event that started the run, as JSON ({@code {"type", "source", "id", "data"}}); empty for a
   * run started by its schedule or by hand. The same as {@code $KAIROS_EVENT} of a shell task.
   */
  public Optional<String> event() {
    return Optional.ofNullable(assignment.event());
  }

  /**
   * A run parameter by its name in the starting event's data (a top-level text, number or boolean;
   * {@code $KAIROS_PARAM_<NAME>} of a shell task), or empty.
   */
  public Optional<String> param(String name) {
    return Optional.ofNullable(dev.kairos.worker.EventEnv.params(assignment.event()).get(name));
  }

  /** The outputs of the upstream tasks that succeeded, by task. */
  public Map<String, Map<String, String>> inputs() {
    return assignment.inputs();
  }

  /** One output of an upstream task, or empty. */
  public Optional<String> input(String task, String key) {
    return Optional.ofNullable(assignment.inputs().getOrDefault(task, Map.of()).get(key));
  }

  /** A line of the attempt's log (what {@code kairos logs} shows). */
  public void log(String line) {
    execution.log().line("stdout", line);
  }

  /** True once the run was cancelled or the attempt timed out: stop soon. */
  public boolean cancelled() {
    return execution.cancelled() || Thread.currentThread().isInterrupted();
  }
}
