package dev.kairos.core.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kairos.core.spec.EmptySpec;
import dev.kairos.core.spec.Resources;
import dev.kairos.core.spec.RetryPolicy;
import dev.kairos.core.spec.TaskSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RetryAndAdvanceTest {
  static final RetryPolicy POLICY =
      new RetryPolicy(5, Duration.ofSeconds(1), Duration.ofSeconds(5), 2.0, 0.0);

  @Test
  void backoffGrowsExponentiallyAndIsCapped() {
    assertThat(POLICY.delayBeforeRetry(1, 0.5)).isEqualTo(Duration.ofSeconds(1));
    assertThat(POLICY.delayBeforeRetry(2, 0.5)).isEqualTo(Duration.ofSeconds(2));
    assertThat(POLICY.delayBeforeRetry(3, 0.5)).isEqualTo(Duration.ofSeconds(4));
    assertThat(POLICY.delayBeforeRetry(4, 0.5)).isEqualTo(Duration.ofSeconds(5));
    assertThat(POLICY.allowsRetryAfter(5)).isTrue();
    assertThat(POLICY.allowsRetryAfter(6)).isFalse();
  }

  @Test
  void jitterStaysWithinItsFractionAndTheCap() {
    RetryPolicy p = new RetryPolicy(5, Duration.ofSeconds(2), Duration.ofSeconds(10), 2.0, 0.25);
    assertThat(p.delayBeforeRetry(1, 0.0)).isEqualTo(Duration.ofMillis(1500));
    assertThat(p.delayBeforeRetry(1, 0.999999))
        .isBetween(Duration.ofMillis(2499), Duration.ofMillis(2500));
    assertThat(p.delayBeforeRetry(5, 0.999999)).isEqualTo(Duration.ofSeconds(10));
  }

  static TaskSpec task(String name, String... deps) {
    return new TaskSpec(
        name, List.of(deps), new EmptySpec(), RetryPolicy.NONE, null, 0, Resources.NONE);
  }

  @Test
  void aSingleTaskRunEndsWithItsTask() {
    List<TaskSpec> one = List.of(task("main"));
    assertThat(RunAdvancer.advance(one, Map.of()).queue()).containsExactly("main");
    assertThat(RunAdvancer.advance(one, Map.of("main", AttemptState.SUCCEEDED)).finalState())
        .isEqualTo(RunState.SUCCEEDED);
    RunAdvance failed = RunAdvancer.advance(one, Map.of("main", AttemptState.TIMED_OUT));
    assertThat(failed.finalState()).isEqualTo(RunState.FAILED);
    assertThat(RunAdvancer.advance(one, Map.of("main", AttemptState.QUEUED)).finalState()).isNull();
  }

  @Test
  void downstreamTasksWaitForTheirUpstreams() {
    List<TaskSpec> dag = List.of(task("a"), task("b", "a"), task("c", "a"), task("d", "b", "c"));
    assertThat(RunAdvancer.advance(dag, Map.of()).queue()).containsExactly("a");
    assertThat(RunAdvancer.advance(dag, Map.of("a", AttemptState.SUCCEEDED)).queue())
        .containsExactly("b", "c");
    assertThat(
            RunAdvancer.advance(
                    dag,
                    Map.of(
                        "a",
                        AttemptState.SUCCEEDED,
                        "b",
                        AttemptState.SUCCEEDED,
                        "c",
                        AttemptState.RUNNING))
                .queue())
        .isEmpty();
    RunAdvance stop =
        RunAdvancer.advance(
            dag,
            Map.of(
                "a", AttemptState.SUCCEEDED, "b", AttemptState.FAILED, "c", AttemptState.RUNNING));
    assertThat(stop.queue()).isEmpty();
    assertThat(stop.finalState()).isNull();
    assertThat(
            RunAdvancer.advance(
                    dag,
                    Map.of(
                        "a",
                        AttemptState.SUCCEEDED,
                        "b",
                        AttemptState.FAILED,
                        "c",
                        AttemptState.SUCCEEDED))
                .finalState())
        .isEqualTo(RunState.FAILED);
  }

  @Test
  void stateMachinesAllowOnlyDeclaredTransitions() {
    assertThat(RunState.PENDING.canBecome(RunState.RUNNING)).isTrue();
    assertThat(RunState.SUCCEEDED.canBecome(RunState.RUNNING)).isFalse();
    assertThat(RunState.SKIPPED.active()).isFalse();
    assertThat(AttemptState.QUEUED.canBecome(AttemptState.SUCCEEDED)).isFalse();
    assertThat(AttemptState.RUNNING.canBecome(AttemptState.LOST)).isTrue();
    assertThat(AttemptState.LOST.retryable()).isTrue();
    assertThat(AttemptState.CANCELLED.retryable()).isFalse();
  }
}
