package dev.kairos.core.spec;

import java.time.Duration;
import java.util.List;

/**
 * One node of a job's DAG with its effective policies: the job's defaults are already applied, so a
 * worker or the store needs nothing else to run and retry it.
 *
 * @param name unique within the job; a {@code task:} shorthand is named {@code main}
 * @param dependsOn names of upstream tasks (empty for a root)
 * @param executor what to run
 * @param retryPolicy how failures are retried
 * @param timeout per attempt, start to close; null = no limit
 * @param priority higher is dispatched first
 * @param resources requests and limits
 * @param triggerRule when it runs, given how its upstream tasks ended
 * @param emits event types it emits when it succeeds (cross-job triggers); empty = none
 */
public record TaskSpec(
    String name,
    List<String> dependsOn,
    ExecutorSpec executor,
    RetryPolicy retryPolicy,
    Duration timeout,
    int priority,
    Resources resources,
    TriggerRule triggerRule,
    List<String> emits) {

  public TaskSpec {
    dependsOn = List.copyOf(dependsOn);
    emits = emits == null ? List.of() : List.copyOf(emits);
    if (triggerRule == null) {
      triggerRule = TriggerRule.ALL_SUCCESS;
    }
  }

  /** A task with the default trigger rule (every upstream succeeded). */
  public TaskSpec(
      String name,
      List<String> dependsOn,
      ExecutorSpec executor,
      RetryPolicy retryPolicy,
      Duration timeout,
      int priority,
      Resources resources) {
    this(
        name,
        dependsOn,
        executor,
        retryPolicy,
        timeout,
        priority,
        resources,
        TriggerRule.ALL_SUCCESS,
        List.of());
  }

  /** This task as shown to people: inline secret values replaced by {@code ***}. */
  public TaskSpec redacted() {
    ExecutorSpec shown = executor.redacted();
    if (shown == executor) {
      return this;
    }
    return new TaskSpec(
        name, dependsOn, shown, retryPolicy, timeout, priority, resources, triggerRule, emits);
  }

  /** The same task with other upstream tasks and trigger rule. */
  public TaskSpec withDependencies(List<String> upstream, TriggerRule rule) {
    return new TaskSpec(
        name, upstream, executor, retryPolicy, timeout, priority, resources, rule, emits);
  }
}
