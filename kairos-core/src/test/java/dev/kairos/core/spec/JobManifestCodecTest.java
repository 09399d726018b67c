package dev.kairos.core.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class JobManifestCodecTest {
  static String job(String spec) {
    return """
    apiVersion: kairos.dev/v1
    kind: Job
    metadata: {name: nightly, namespace: data, labels: {team: data}}
    spec:
    %s
    """
        .formatted(spec.indent(2));
  }

  static List<FieldError> errors(String yaml) {
    try {
      JobManifestCodec.parseYaml(yaml);
    } catch (ValidationException e) {
      return e.errors();
    }
    throw new AssertionError("expected a validation error");
  }

  @Test
  void fullSpecIsReadWithJobPoliciesAppliedToTheTask() {
    JobManifest m =
        JobManifestCodec.parseYaml(
            job(
                """
                schedule: "0 2 * * *"
                timeZone: Asia/Shanghai
                suspend: true
                concurrencyPolicy: Forbid
                startingDeadlineSeconds: 300
                catchup: true
                retryPolicy: {maxRetries: 3, initialInterval: 10s, maxInterval: 5m, backoffMultiplier: 3, jitter: 0.2}
                timeout: 30m
                priority: 1000
                resources: {requests: {cpu: 500m, memory: 1Gi}, limits: {cpu: "1", memory: 2Gi}}
                placement: {pool: batch}
                task:
                  shell: {command: "python run.py", args: [a], env: {MODE: full}, workingDir: /srv}
                """));
    assertThat(m.key()).isEqualTo(new JobKey("data", "nightly"));
    assertThat(m.labels()).containsEntry("team", "data");
    JobSpec s = m.spec();
    assertThat(s.schedule()).isEqualTo("0 2 * * *");
    assertThat(s.timeZone()).isEqualTo(ZoneId.of("Asia/Shanghai"));
    assertThat(s.suspend()).isTrue();
    assertThat(s.concurrencyPolicy()).isEqualTo(ConcurrencyPolicy.Forbid);
    assertThat(s.startingDeadlineSeconds()).isEqualTo(300);
    assertThat(s.catchup()).isTrue();
    assertThat(s.pool()).isEqualTo("batch");
    TaskSpec t = s.tasks().get(0);
    assertThat(t.name()).isEqualTo("main");
    assertThat(t.retryPolicy())
        .isEqualTo(new RetryPolicy(3, Duration.ofSeconds(10), Duration.ofMinutes(5), 3.0, 0.2));
    assertThat(t.timeout()).isEqualTo(Duration.ofMinutes(30));
    assertThat(t.priority()).isEqualTo(1000);
    assertThat(t.resources().requests())
        .containsEntry("cpu", "500m")
        .containsEntry("memory", "1Gi");
    assertThat(t.executor())
        .isEqualTo(
            new ShellSpec("python run.py", List.of("a"), java.util.Map.of("MODE", "full"), "/srv"));
  }

  @Test
  void defaultsAreUtcAllowNoRetryAndPoolDefault() {
    JobManifest m =
        JobManifestCodec.parseYaml(
            "apiVersion: kairos.dev/v1\nkind: Job\nmetadata: {name: x}\nspec: {task: {empty: {}}}\n");
    assertThat(m.namespace()).isEqualTo("default");
    assertThat(m.spec().timeZone().getId()).isEqualTo("UTC");
    assertThat(m.spec().concurrencyPolicy()).isEqualTo(ConcurrencyPolicy.Allow);
    assertThat(m.spec().tasks().get(0).retryPolicy()).isEqualTo(RetryPolicy.NONE);
    assertThat(m.spec().pool()).isEqualTo("default");
    assertThat(m.spec().history()).isEqualTo(new History(200, 100));
    assertThat(JobManifestCodec.toJson(m)).doesNotContain("history");
  }

  @Test
  void historyLimitsAreReadWrittenAndRoundTrip() {
    JobManifest m =
        JobManifestCodec.parseYaml(
            job("history: {successfulRuns: 3, failedRuns: 0}\ntask: {empty: {}}"));
    assertThat(m.spec().history()).isEqualTo(new History(3, 0));
    String json = JobManifestCodec.toJson(m);
    assertThat(json).contains("\"history\":{\"successfulRuns\":3,\"failedRuns\":0}");
    assertThat(JobManifestCodec.parseJson(json)).isEqualTo(m);
    assertThat(JobManifestCodec.toJson(JobManifestCodec.parseJson(json))).isEqualTo(json);
    // one given, the other keeps its default
    assertThat(
            JobManifestCodec.parseYaml(job("history: {failedRuns: 7}\ntask: {empty: {}}"))
                .spec()
                .history())
        .isEqualTo(new History(200, 7));
    assertThat(
            JobManifestCodec.parseYaml(
                    job("history: {successfulRuns: 100000, failedRuns: 100000}\ntask: {empty: {}}"))
                .spec()
                .history())
        .isEqualTo(new History(Bounds.HISTORY_MAX, Bounds.HISTORY_MAX));
  }

  @Test
  void historyLimitsOutsideTheirRangeAreRejectedNamingTheFieldAndTheRange() {
    assertThat(errors(job("history: {successfulRuns: -1, failedRuns: 100001}\ntask: {empty: {}}")))
        .extracting(FieldError::toString)
        .containsExactly(
            "spec.history.successfulRuns: \"-1\": must be an integer from 0 to 100000",
            "spec.history.failedRuns: \"100001\": must be an integer from 0 to 100000");
    assertThat(errors(job("history: {succesfulRuns: 5}\ntask: {empty: {}}")))
        .extracting(FieldError::toString)
        .containsExactly(
            "spec.history.succesfulRuns: unknown field (did you mean successfulRuns?); known"
                + " fields: successfulRuns, failedRuns");
    assertThat(errors(job("history: 5\ntask: {empty: {}}")))
        .extracting(FieldError::toString)
        .containsExactly(
            "spec.history: \"5\": must be an object with fields successfulRuns, failedRuns");
    assertThat(errors(job("history: {failedRuns: 2.5}\ntask: {empty: {}}")))
        .extracting(FieldError::toString)
        .containsExactly("spec.history.failedRuns: \"2.5\": must be an integer from 0 to 100000");
  }

  @Test
  void failedRunsCountEveryEndButSuccess() {
    assertThat(History.SUCCESSFUL).containsExactly(dev.kairos.core.run.RunState.SUCCEEDED);
    assertThat(History.FAILED)
        .containsExactlyInAnyOrder(
            dev.kairos.core.run.RunState.FAILED,
            dev.kairos.core.run.RunState.CANCELLED,
            dev.kairos.core.run.RunState.SKIPPED,
            dev.kairos.core.run.RunState.MISSED);
  }

  @Test
  void taskLevelPoliciesOverrideTheJobs() {
    JobManifest m =
        JobManifestCodec.parseYaml(
            job("timeout: 1m\npriority: 5\ntask: {empty: {}, timeout: 10s}"));
    assertThat(m.spec().tasks().get(0).timeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(m.spec().tasks().get(0).priority()).isEqualTo(5);
  }

  @Test
  void badScheduleNamesFieldValueAndRange() {
    assertThat(errors(job("schedule: \"61 * * * *\"\ntask: {empty: {}}")))
        .extracting(FieldError::toString)
        .containsExactly("spec.schedule: \"61 * * * *\": minute 61 is out of range 0-59");
  }

  @Test
  void unknownFieldsAreRejectedWithTheKnownOnesAndASuggestion() {
    FieldError e = errors(job("shedule: x\ntask: {empty: {}}")).get(0);
    assertThat(e.path()).isEqualTo("spec.shedule");
    assertThat(e.message())
        .contains("did you mean schedule?")
        .contains("known fields: schedule, timeZone, suspend, concurrencyPolicy");
    assertThat(errors(job("task: {shell: {command: x, enviroment: {}}}")).get(0).path())
        .isEqualTo("spec.task.shell.enviroment");
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    List<FieldError> all =
        errors(
            """
            apiVersion: kairos.dev/v2
            kind: CronJob
            metadata: {name: Bad_Name}
            spec:
              timeZone: Mars/Olympus
              concurrencyPolicy: Sometimes
              priority: high
              startingDeadlineSeconds: -1
              retryPolicy: {maxRetries: 1000, initialInterval: 10m, maxInterval: 1m, jitter: 2}
              timeout: soon
              resources: {requests: {cpu: lots, gpu: 1}}
              task: {shell: {command: " ", env: {KAIROS_RUN_ID: x, 1BAD: y}}}
            """);
    assertThat(all)
        .extracting(FieldError::path)
        .contains(
            "apiVersion",
            "kind",
            "metadata.name",
            "spec.timeZone",
            "spec.concurrencyPolicy",
            "spec.priority",
            "spec.startingDeadlineSeconds",
            "spec.retryPolicy.maxRetries",
            "spec.retryPolicy.maxInterval",
            "spec.retryPolicy.jitter",
            "spec.timeout",
            "spec.resources.requests.cpu",
            "spec.resources.requests.gpu",
            "spec.task.shell.command",
            "spec.task.shell.env.KAIROS_RUN_ID",
            "spec.task.shell.env.1BAD");
    assertThat(
            all.stream()
                .filter(e -> e.path().equals("spec.concurrencyPolicy"))
                .findFirst()
                .get()
                .message())
        .isEqualTo("must be one of Allow, Forbid, Replace");
    assertThat(
            all.stream().filter(e -> e.path().equals("spec.priority")).findFirst().get().toString())
        .isEqualTo("spec.priority: \"high\": must be an integer from -1000000000 to 1000000000");
  }

  @Test
  void aTaskNeedsExactlyOneExecutor() {
    assertThat(errors(job("task: {}")).get(0).message())
        .contains("needs an executor: one of shell, empty");
    assertThat(errors(job("task: {empty: {}, shell: {command: x}}")).get(0).message())
        .contains("several executors");
    assertThat(errors(job("schedule: \"@daily\"")).get(0).path()).isEqualTo("spec.task");
  }

  @Test
  void malformedInputIsAValidationErrorNotACrash() {
    assertThatThrownBy(() -> JobManifestCodec.parseJson("{not json"))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("not valid JSON");
    assertThatThrownBy(() -> JobManifestCodec.parseYaml(""))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("empty");
    assertThatThrownBy(() -> JobManifestCodec.parseYaml("- a\n- b"))
        .isInstanceOf(ValidationException.class);
  }

  @Test
  void canonicalJsonRoundTripsAndIsStable() {
    String yaml =
        job(
            """
            schedule: "*/5 * * * *"
            timeZone: Europe/Berlin
            retryPolicy: {maxRetries: 2, initialInterval: 1500ms}
            timeout: 1h30m
            priority: -3
            resources: {limits: {memory: 512Mi}}
            task: {shell: {command: "echo hi", env: {B: "2", A: "1"}}}
            """);
    JobManifest m = JobManifestCodec.parseYaml(yaml);
    String json = JobManifestCodec.toJson(m);
    assertThat(JobManifestCodec.parseJson(json)).isEqualTo(m);
    assertThat(JobManifestCodec.toJson(JobManifestCodec.parseJson(json))).isEqualTo(json);
    assertThat(json).contains("\"timeout\":\"1h30m\"").contains("\"initialInterval\":\"1.5s\"");
  }

  @Test
  void taskSpecsRoundTrip() {
    TaskSpec t =
        JobManifestCodec.parseYaml(job("timeout: 5s\ntask: {shell: {command: ls, args: [-l]}}"))
            .spec()
            .tasks()
            .get(0);
    assertThat(TaskSpecCodec.fromJson(TaskSpecCodec.toJson(t))).isEqualTo(t);
    TaskSpec empty =
        new TaskSpec(
            "join", List.of("a", "b"), new EmptySpec(), RetryPolicy.NONE, null, 0, Resources.NONE);
    assertThat(TaskSpecCodec.fromJson(TaskSpecCodec.toJson(empty))).isEqualTo(empty);
  }

  @Test
  void secretVariablesRoundTripAndAreRedactedForDisplay() {
    JobManifest m =
        JobManifestCodec.parseYaml(
            job(
                """
                task:
                  shell:
                    command: ./deploy
                    env:
                      MODE: full
                      DB_PASS: {secret: true, value: s3cr3t}
                      API_KEY: {fromFile: /run/secrets/api-key}
                      TOKEN: {fromEnv: DEPLOY_TOKEN}
                """));
    ShellSpec shell = (ShellSpec) m.spec().tasks().get(0).executor();
    assertThat(shell.env()).containsExactly(java.util.Map.entry("MODE", "full"));
    assertThat(shell.secretEnv())
        .containsEntry("DB_PASS", new SecretEnv("s3cr3t", null, null))
        .containsEntry("API_KEY", new SecretEnv(null, "/run/secrets/api-key", null))
        .containsEntry("TOKEN", new SecretEnv(null, null, "DEPLOY_TOKEN"));
    String json = JobManifestCodec.toJson(m);
    assertThat(JobManifestCodec.parseJson(json)).isEqualTo(m);
    TaskSpec task = m.spec().tasks().get(0);
    assertThat(TaskSpecCodec.fromJson(TaskSpecCodec.toJson(task))).isEqualTo(task);
    String shown = JobManifestCodec.toJson(m.redacted());
    assertThat(shown)
        .doesNotContain("s3cr3t")
        .contains("\"DB_PASS\":{\"secret\":true,\"value\":\"***\"}")
        .contains("/run/secrets/api-key")
        .contains("DEPLOY_TOKEN");
  }

  @Test
  void aBadSecretIsRejectedWithoutShowingItsValue() {
    List<FieldError> all =
        errors(
            job(
                """
                task:
                  shell:
                    command: x
                    env:
                      A: {value: hunter2}
                      B: {secret: true, value: hunter2, fromEnv: X}
                      C: {secret: false, value: hunter2}
                      D: {fromFile: relative/path}
                      E: {fromEnv: "not a name"}
                      F: {secret: true, valu: hunter2}
                """));
    assertThat(all)
        .extracting(FieldError::path)
        .contains(
            "spec.task.shell.env.A.secret",
            "spec.task.shell.env.B",
            "spec.task.shell.env.C.secret",
            "spec.task.shell.env.D.fromFile",
            "spec.task.shell.env.E.fromEnv",
            "spec.task.shell.env.F.valu");
    assertThat(all.toString()).doesNotContain("hunter2");
  }

  @Test
  void aVariableOrSecretWithANulByteIsRejectedWithoutShowingItsValue() {
    // a NUL reached the worker, where starting the process failed with the value in the message
    List<FieldError> all =
        errors(
            job(
                """
                task:
                  shell:
                    command: x
                    env:
                      PLAIN: "plain\\0hunter2"
                      HIDDEN: {secret: true, value: "hid\\0hunter2"}
                """));
    assertThat(all)
        .extracting(FieldError::path)
        .containsExactlyInAnyOrder("spec.task.shell.env.PLAIN", "spec.task.shell.env.HIDDEN.value");
    assertThat(all.toString()).contains("NUL byte").doesNotContain("hunter2");
  }

  @Test
  void eventTriggersRoundTripAndABadFilterSaysWhere() {
    JobManifest m =
        JobManifestCodec.parseYaml(
            job(
                """
                triggers:
                  - event: {type: data-ready, filter: "data.table == 'orders' && data.rows > 0"}
                  - event: {type: s3:ObjectCreated}
                task: {empty: {}}
                """));
    assertThat(m.spec().triggers())
        .extracting(t -> t.type())
        .containsExactly("data-ready", "s3:ObjectCreated");
    assertThat(JobManifestCodec.parseJson(JobManifestCodec.toJson(m))).isEqualTo(m);
    List<FieldError> all =
        errors(
            job(
                """
                triggers:
                  - event: {type: "bad type!", filter: "data.x =="}
                  - event: {type: ok, filter: "nope.x == 1"}
                  - {webhook: {}}
                task: {empty: {}}
                """));
    assertThat(all)
        .extracting(FieldError::path)
        .containsExactly(
            "spec.triggers[0].event.type",
            "spec.triggers[0].event.filter",
            "spec.triggers[1].event.filter",
            "spec.triggers[2].webhook",
            "spec.triggers[2].event");
    assertThat(all.get(2).message()).startsWith("unknown name nope");
  }

  @Test
  void durationsParseAndFormat() {
    assertThat(Durations.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Durations.parse("2d")).isEqualTo(Duration.ofDays(2));
    assertThat(Durations.parse("PT5M")).isEqualTo(Duration.ofMinutes(5));
    assertThat(Durations.format(Duration.ofMillis(61_250))).isEqualTo("1m1.25s");
    assertThat(Durations.format(Duration.ofMillis(250))).isEqualTo("250ms");
    assertThatThrownBy(() -> Durations.parse("5 minutes")).hasMessageContaining("500ms, 30s");
  }

  @Test
  void quantitiesFollowKubernetesSyntax() {
    assertThat(Quantities.millicores("500m")).isEqualTo(500);
    assertThat(Quantities.millicores("1.5")).isEqualTo(1500);
    assertThat(Quantities.bytes("1Gi")).isEqualTo(1L << 30);
    assertThat(Quantities.bytes("1G")).isEqualTo(1_000_000_000L);
    assertThat(Quantities.checkCpu("0")).isNotNull();
    assertThat(Quantities.checkMemory("12XB")).isNotNull();
  }

  /**
   * The poison pill that was accepted (201) and then made every completion batch fail with "long
   * overflow": a retry interval of 999999999999 days. Every number and duration has a bound now,
   * reported with the field and the bound.
   */
  @Test
  void aNumberOrDurationPastItsBoundIsRejectedNamingTheFieldAndTheBound() {
    List<FieldError> all =
        errors(
            """
            apiVersion: kairos.dev/v1
            kind: Job
            metadata: {name: poison}
            spec:
              retryPolicy: {maxRetries: 2, initialInterval: 999999999999d, maxInterval: 999999999999d}
              startingDeadlineSeconds: 99999999999
              priority: 2000000000
              timeout: 366d
              deadline: 400d
              alerts: {sla: P99999D}
              resources: {requests: {cpu: "99999999999999999999999m", memory: 2Pi}}
              task: {http: {url: "https://fn.example/x", timeout: 0s}}
            """);
    assertThat(all)
        .extracting(FieldError::toString)
        .contains(
            "spec.retryPolicy.initialInterval: \"999999999999d\": is more than the largest"
                + " allowed, 365d",
            "spec.retryPolicy.maxInterval: \"999999999999d\": is more than the largest allowed,"
                + " 365d",
            "spec.startingDeadlineSeconds: \"99999999999\": must be an integer from 1 to"
                + " 31536000",
            "spec.priority: \"2000000000\": must be an integer from -1000000000 to 1000000000",
            "spec.timeout: \"366d\": is more than the largest allowed, 365d",
            "spec.alerts.sla: \"P99999D\": is more than the largest allowed, 365d",
            "spec.resources.requests.cpu: \"99999999999999999999999m\": is more than the largest"
                + " allowed, 100000 cores",
            "spec.resources.requests.memory: \"2Pi\": is more than the largest allowed, 1Pi",
            "spec.task.http.timeout: \"0s\": must be positive");
    assertThat(all)
        .filteredOn(e -> e.path().equals("spec.deadline"))
        .singleElement()
        .extracting(FieldError::message)
        .asString()
        .startsWith("is more than the largest allowed, 365d");
  }

  @Test
  void durationsAtTheirBoundsAreAccepted() {
    JobManifest m =
        JobManifestCodec.parseYaml(
            """
            apiVersion: kairos.dev/v1
            kind: Job
            metadata: {name: edge}
            spec:
              retryPolicy: {maxRetries: 100, initialInterval: 1ms, maxInterval: 365d, backoffMultiplier: 100}
              startingDeadlineSeconds: 31536000
              priority: -1000000000
              timeout: PT8760H
              task: {shell: {command: "true"}}
            """);
    assertThat(m.spec().tasks().get(0).retryPolicy().maxInterval()).isEqualTo(Duration.ofDays(365));
    assertThat(m.spec().tasks().get(0).timeout()).isEqualTo(Duration.ofDays(365));
  }
}
