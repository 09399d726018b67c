package dev.kairos.core.run;

import static dev.kairos.core.run.RunAdvancer.TaskOutcome.ACTIVE;
import static dev.kairos.core.run.RunAdvancer.TaskOutcome.FAILED;
import static dev.kairos.core.run.RunAdvancer.TaskOutcome.SKIPPED;
import static dev.kairos.core.run.RunAdvancer.TaskOutcome.SUCCEEDED;
import static dev.kairos.core.run.RunAdvancer.TaskOutcome.UPSTREAM_FAILED;
import static dev.kairos.core.run.RunAdvancer.TaskOutcome.WAITING;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kairos.core.run.RunAdvancer.TaskOutcome;
import dev.kairos.core.spec.EmptySpec;
import dev.kairos.core.spec.Resources;
import dev.kairos.core.spec.RetryPolicy;
import dev.kairos.core.spec.TaskSpec;
import dev.kairos.core.spec.TriggerRule;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TriggerRuleTest {
  static TaskSpec task(String name, TriggerRule rule, String... deps) {
    return new TaskSpec(
        name,
        List.of(deps),
        new EmptySpec(),
        RetryPolicy.NONE,
        null,
        0,
        Resources.NONE,
        rule,
        null);
  }

  static TaskOutcome decide(TriggerRule rule, TaskOutcome... upstream) {
    return RunAdvancer.rule(task("t", rule), List.of(upstream));
  }

  @Test
  void allSuccess() {
    assertThat(decide(TriggerRule.ALL_SUCCESS, SUCCEEDED, SUCCEEDED)).isEqualTo(ACTIVE);
    assertThat(decide(TriggerRule.ALL_SUCCESS, SUCCEEDED, ACTIVE)).isEqualTo(WAITING);
    // decided as soon as it cannot be met, even while another upstream runs
    assertThat(decide(TriggerRule.ALL_SUCCESS, FAILED, ACTIVE)).isEqualTo(UPSTREAM_FAILED);
    assertThat(decide(TriggerRule.ALL_SUCCESS, UPSTREAM_FAILED)).isEqualTo(UPSTREAM_FAILED);
    assertThat(decide(TriggerRule.ALL_SUCCESS, SKIPPED, SUCCEEDED)).isEqualTo(SKIPPED);
  }

  @Test
  void allDone() {
    assertThat(decide(TriggerRule.ALL_DONE, FAILED, SKIPPED, SUCCEEDED)).isEqualTo(ACTIVE);
    assertThat(decide(TriggerRule.ALL_DONE, FAILED, WAITING)).isEqualTo(WAITING);
  }

  @Test
  void allFailed() {
    assertThat(decide(TriggerRule.ALL_FAILED, FAILED, UPSTREAM_FAILED)).isEqualTo(ACTIVE);
    assertThat(decide(TriggerRule.ALL_FAILED, FAILED, ACTIVE)).isEqualTo(WAITING);
    assertThat(decide(TriggerRule.ALL_FAILED, FAILED, SUCCEEDED)).isEqualTo(SKIPPED);
    assertThat(decide(TriggerRule.ALL_FAILED, SKIPPED)).isEqualTo(SKIPPED);
  }

  @Test
  void oneSuccess() {
    assertThat(decide(TriggerRule.ONE_SUCCESS, SUCCEEDED, ACTIVE)).isEqualTo(ACTIVE);
    assertThat(decide(TriggerRule.ONE_SUCCESS, FAILED, ACTIVE)).isEqualTo(WAITING);
    assertThat(decide(TriggerRule.ONE_SUCCESS, FAILED, SKIPPED)).isEqualTo(UPSTREAM_FAILED);
    assertThat(decide(TriggerRule.ONE_SUCCESS, SKIPPED, SKIPPED)).isEqualTo(SKIPPED);
  }

  @Test
  void oneFailed() {
    assertThat(decide(TriggerRule.ONE_FAILED, FAILED, ACTIVE)).isEqualTo(ACTIVE);
    assertThat(decide(TriggerRule.ONE_FAILED, SUCCEEDED, ACTIVE)).isEqualTo(WAITING);
    assertThat(decide(TriggerRule.ONE_FAILED, SUCCEEDED, SKIPPED)).isEqualTo(SKIPPED);
  }

  @Test
  void noneFailed() {
    assertThat(decide(TriggerRule.NONE_FAILED, SUCCEEDED, SKIPPED)).isEqualTo(ACTIVE);
    assertThat(decide(TriggerRule.NONE_FAILED, SUCCEEDED, ACTIVE)).isEqualTo(WAITING);
    assertThat(decide(TriggerRule.NONE_FAILED, UPSTREAM_FAILED, ACTIVE)).isEqualTo(UPSTREAM_FAILED);
  }

  @Test
  void everyRuleRunsARoot() {
    for (TriggerRule rule : TriggerRule.values()) {
      assertThat(decide(rule)).as(rule.spelling()).isEqualTo(ACTIVE);
    }
  }

  @Test
  void decisionsPropagateDownAChainAndTheRunEndsWithoutRunningThem() {
    List<TaskSpec> dag =
        List.of(
            task("a", TriggerRule.ALL_SUCCESS),
            task("b", TriggerRule.ALL_SUCCESS, "a"),
            task("c", TriggerRule.ALL_SUCCESS, "b"),
            task("alert", TriggerRule.ONE_FAILED, "a", "c"));
    Map<String, AttemptState> latest = Map.of("a", AttemptState.FAILED);
    assertThat(RunAdvancer.outcomes(dag, latest))
        .isEqualTo(
            Map.of("a", FAILED, "b", UPSTREAM_FAILED, "c", UPSTREAM_FAILED, "alert", ACTIVE));
    RunAdvance next = RunAdvancer.advance(dag, latest);
    assertThat(next.queue()).containsExactly("alert");
    assertThat(next.finalState()).isNull();
    RunAdvance end =
        RunAdvancer.advance(dag, Map.of("a", AttemptState.FAILED, "alert", AttemptState.SUCCEEDED));
    assertThat(end.finalState()).isEqualTo(RunState.FAILED);
    assertThat(end.reason()).isEqualTo("task a failed; 2 not run (upstream failed)");
  }

  @Test
  void aRunWithSkippedTasksSucceeds() {
    List<TaskSpec> dag =
        List.of(
            task("work", TriggerRule.ALL_SUCCESS),
            task("onFailure", TriggerRule.ALL_FAILED, "work"),
            task("after", TriggerRule.ALL_SUCCESS, "onFailure"));
    RunAdvance end = RunAdvancer.advance(dag, Map.of("work", AttemptState.SUCCEEDED));
    assertThat(end.queue()).isEmpty();
    assertThat(end.finalState()).isEqualTo(RunState.SUCCEEDED);
  }
}
