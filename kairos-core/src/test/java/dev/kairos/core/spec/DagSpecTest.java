package dev.kairos.core.spec;

import static dev.kairos.core.spec.JobManifestCodecTest.errors;
import static dev.kairos.core.spec.JobManifestCodecTest.job;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DagSpecTest {
  /** Airflow's example DAG: task1, then task2 and task3 in parallel. */
  static final String AIRFLOW =
      """
      schedule: "@daily"
      retryPolicy: {maxRetries: 1}
      timeout: 10m
      tasks:
        - name: task1
          shell: {command: "date"}
        - name: task2
          dependsOn: [task1]
          shell: {command: "sleep 5"}
          retryPolicy: {maxRetries: 3}
        - name: task3
          dependsOn: [task1]
          triggerRule: allDone
          priority: 5
          empty: {}
      """;

  @Test
  void aDagIsReadWithDependenciesRulesAndPerTaskOverrides() {
    List<TaskSpec> tasks = JobManifestCodec.parseYaml(job(AIRFLOW)).spec().tasks();
    assertThat(tasks).extracting(TaskSpec::name).containsExactly("task1", "task2", "task3");
    assertThat(tasks.get(0).dependsOn()).isEmpty();
    assertThat(tasks.get(1).dependsOn()).containsExactly("task1");
    assertThat(tasks.get(0).triggerRule()).isEqualTo(TriggerRule.ALL_SUCCESS);
    assertThat(tasks.get(2).triggerRule()).isEqualTo(TriggerRule.ALL_DONE);
    // job-level policies apply to every task unless it sets its own
    assertThat(tasks.get(0).retryPolicy().maxRetries()).isEqualTo(1);
    assertThat(tasks.get(1).retryPolicy().maxRetries()).isEqualTo(3);
    assertThat(tasks).allMatch(t -> t.timeout().equals(Duration.ofMinutes(10)));
    assertThat(tasks.get(2).priority()).isEqualTo(5);
  }

  @Test
  void aDagRoundTripsThroughCanonicalJson() {
    JobManifest m = JobManifestCodec.parseYaml(job(AIRFLOW));
    String json = JobManifestCodec.toJson(m);
    assertThat(JobManifestCodec.parseJson(json)).isEqualTo(m);
    assertThat(JobManifestCodec.toJson(JobManifestCodec.parseJson(json))).isEqualTo(json);
    TaskSpec rule = m.spec().tasks().get(2);
    assertThat(TaskSpecCodec.fromJson(TaskSpecCodec.toJson(rule))).isEqualTo(rule);
  }

  @Test
  void theShorthandAndAOneTaskListGoThroughTheSamePath() {
    TaskSpec shorthand =
        JobManifestCodec.parseYaml(job("task: {shell: {command: x}}")).spec().tasks().get(0);
    TaskSpec listed =
        JobManifestCodec.parseYaml(job("tasks: [{name: main, shell: {command: x}}]"))
            .spec()
            .tasks()
            .get(0);
    assertThat(listed).isEqualTo(shorthand);
  }

  @Test
  void aCycleIsRejectedWithItsPath() {
    List<FieldError> errors =
        errors(
            job(
                """
                tasks:
                  - {name: a, dependsOn: [c], empty: {}}
                  - {name: b, dependsOn: [a], empty: {}}
                  - {name: c, dependsOn: [b], empty: {}}
                  - {name: d, empty: {}}
                """));
    assertThat(errors).hasSize(1);
    assertThat(errors.get(0).path()).isEqualTo("spec.tasks");
    assertThat(errors.get(0).message()).contains("cycle: a -> b -> c -> a");
  }

  @Test
  void aTaskThatDependsOnItselfIsACycle() {
    assertThat(errors(job("tasks: [{name: a, dependsOn: [a], empty: {}}]")).get(0).message())
        .contains("cycle: a -> a");
  }

  @Test
  void anUnknownDependencyIsRejectedWithASuggestion() {
    FieldError e =
        errors(
                job(
                    """
                    tasks:
                      - {name: extract, empty: {}}
                      - {name: load, dependsOn: [extrct], empty: {}}
                    """))
            .get(0);
    assertThat(e.path()).isEqualTo("spec.tasks[1].dependsOn[0]");
    assertThat(e.value()).isEqualTo("extrct");
    assertThat(e.message())
        .contains("not a task of this job")
        .contains("did you mean extract?")
        .contains("tasks: extract, load");
  }

  @Test
  void duplicateNamesAndDependenciesAreRejected() {
    List<FieldError> errors =
        errors(
            job(
                """
                tasks:
                  - {name: a, empty: {}}
                  - {name: b, dependsOn: [a, a], empty: {}}
                  - {name: a, empty: {}}
                  - {name: my-task, empty: {}}
                  - {name: my_task, empty: {}}
                """));
    assertThat(errors)
        .extracting(FieldError::toString)
        .containsExactly(
            "spec.tasks[2].name: \"a\": is already the name of spec.tasks[0]: task names must be"
                + " unique",
            "spec.tasks[4].name: \"my_task\": reads as the same environment variable prefix"
                + " (KAIROS_IN_MY_TASK_) as the name of spec.tasks[3]; rename one",
            "spec.tasks[1].dependsOn[1]: \"a\": is listed twice in dependsOn");
  }

  @Test
  void anEmptyDagAndBothFormsAtOnceAreRejected() {
    assertThat(errors(job("tasks: []")).get(0).toString())
        .isEqualTo("spec.tasks: must list at least one task: an empty DAG runs nothing");
    assertThat(errors(job("task: {empty: {}}\ntasks: [{name: a, empty: {}}]")).get(0).message())
        .contains("cannot be given with spec.task");
  }

  @Test
  void badNamesRulesAndFieldsAreReportedWithTheirPaths() {
    List<FieldError> errors =
        errors(
            job(
                """
                tasks:
                  - {name: 1st, empty: {}}
                  - {empty: {}}
                  - {name: b, triggerRule: allSucess, empty: {}}
                  - {name: c, dependOn: [b], empty: {}}
                """));
    assertThat(errors)
        .extracting(FieldError::path)
        .containsExactly(
            "spec.tasks[0].name",
            "spec.tasks[1].name",
            "spec.tasks[2].triggerRule",
            "spec.tasks[3].dependOn");
    assertThat(errors.get(2).message())
        .contains("did you mean allSuccess?")
        .contains("allSuccess, allDone, allFailed, oneSuccess, oneFailed, noneFailed");
    assertThat(errors.get(3).message()).contains("did you mean dependsOn?");
  }

  /**
   * A chain of {@code n} empty tasks t0 -> t1 -> ...; with {@code closed} t0 depends on the last.
   */
  static String chain(int n, boolean closed) {
    StringBuilder sb = new StringBuilder("tasks:\n");
    for (int i = 0; i < n; i++) {
      String up = i > 0 ? "t" + (i - 1) : closed ? "t" + (n - 1) : null;
      sb.append("  - {name: t").append(i);
      if (up != null) {
        sb.append(", dependsOn: [").append(up).append("]");
      }
      sb.append(", empty: {}}\n");
    }
    return sb.toString();
  }

  @Test
  void aChainOfTenThousandTasksIsCheckedAndAdvancedWithoutDeepRecursion() {
    List<FieldError> errors = errors(job(chain(10_000, true)));
    assertThat(errors.get(0).message()).startsWith("the dependencies form a cycle: t0 -> t1 -> t2");
    List<TaskSpec> tasks = JobManifestCodec.parseYaml(job(chain(10_000, false))).spec().tasks();
    var outcomes =
        dev.kairos.core.run.RunAdvancer.outcomes(
            tasks, java.util.Map.of("t0", dev.kairos.core.run.AttemptState.FAILED));
    assertThat(outcomes.get("t9999"))
        .isEqualTo(dev.kairos.core.run.RunAdvancer.TaskOutcome.UPSTREAM_FAILED);
  }

  @Test
  void aJavaTaskNamesItsHandlerAndRoundTrips() {
    JobManifest m =
        JobManifestCodec.parseYaml(
            job("tasks: [{name: t, java: {handler: billing.invoice-v2}, timeout: 30s}]"));
    assertThat(m.spec().tasks().get(0).executor()).isEqualTo(new JavaSpec("billing.invoice-v2"));
    assertThat(JobManifestCodec.parseJson(JobManifestCodec.toJson(m))).isEqualTo(m);
    TaskSpec t = m.spec().tasks().get(0);
    assertThat(TaskSpecCodec.fromJson(TaskSpecCodec.toJson(t))).isEqualTo(t);
    assertThat(errors(job("task: {java: {handler: \"rm -rf\"}}")).get(0).path())
        .isEqualTo("spec.task.java.handler");
    assertThat(errors(job("task: {java: {}}")).get(0).toString())
        .isEqualTo("spec.task.java.handler: is required");
  }
}
