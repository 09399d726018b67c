package dev.kairos.core.spec;

import static dev.kairos.core.spec.JobManifestCodecTest.errors;
import static dev.kairos.core.spec.JobManifestCodecTest.job;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code resources.limits.pids}: how many processes an attempt may have at once. */
class PidsLimitSpecTest {
  @Test
  void aPidsLimitIsReadForTheJobAndATaskAndWrittenBack() {
    JobManifest m =
        JobManifestCodec.parseYaml(
            job(
                """
                resources: {limits: {pids: 100}}
                tasks:
                  - {name: a, empty: {}}
                  - {name: b, empty: {}, resources: {limits: {pids: "1000000", memory: 64Mi}}}
                """));
    assertThat(m.spec().tasks().get(0).resources().pidsLimit()).isEqualTo(100);
    assertThat(m.spec().tasks().get(1).resources().pidsLimit()).isEqualTo(1_000_000);
    // a limit on processes requests nothing of the worker's capacity
    assertThat(m.spec().tasks().get(0).resources().cpuRequestMillis()).isZero();
    assertThat(m.spec().tasks().get(0).resources().memoryRequestBytes()).isZero();
    assertThat(JobManifestCodec.parseJson(JobManifestCodec.toJson(m))).isEqualTo(m);
    assertThat(Resources.NONE.pidsLimit()).isNull();
  }

  @Test
  void aPidsLimitOutOfRangeIsRejectedNamingTheFieldAndTheBound() {
    assertThat(
            errors(
                    job(
                        """
                        tasks:
                          - {name: a, empty: {}, resources: {limits: {pids: 0}}}
                          - {name: b, empty: {}, resources: {limits: {pids: 1000001}}}
                          - {name: c, empty: {}, resources: {limits: {pids: many}}}
                          - {name: d, empty: {}, resources: {limits: {pids: 1.5}}}
                        """))
                .stream()
                .map(FieldError::toString))
        .containsExactly(
            "spec.tasks[0].resources.limits.pids: \"0\": is less than the smallest allowed, 1",
            "spec.tasks[1].resources.limits.pids: \"1000001\": is more than the largest allowed,"
                + " 1000000",
            "spec.tasks[2].resources.limits.pids: \"many\": not a number of processes; use a whole"
                + " number from 1 to 1000000",
            "spec.tasks[3].resources.limits.pids: \"1.5\": not a number of processes; use a whole"
                + " number from 1 to 1000000");
  }

  @Test
  void pidsIsALimitNotARequest() {
    assertThat(errors(job("resources: {requests: {pids: 10}}\ntask: {empty: {}}")))
        .extracting(FieldError::path)
        .containsExactly("spec.resources.requests.pids");
  }
}
