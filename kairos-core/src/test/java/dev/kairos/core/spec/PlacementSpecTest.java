package dev.kairos.core.spec;

import static dev.kairos.core.spec.JobManifestCodecTest.errors;
import static dev.kairos.core.spec.JobManifestCodecTest.job;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlacementSpecTest {
  @Test
  void clustersStrictLabelsAndMaxActiveRunsAreReadAndWrittenBack() {
    JobManifest m =
        JobManifestCodec.parseYaml(
            job(
                """
                maxActiveRuns: 3
                placement:
                  pool: gpu
                  clusters: [{name: east, weight: 60}, {name: west, weight: 40}]
                  strict: true
                  labels: {zone: eu-1a, kairos.dev/gpu: "true"}
                task: {shell: {command: train}}
                """));
    Placement p = m.spec().placement();
    assertThat(p.pool()).isEqualTo("gpu");
    assertThat(m.spec().pool()).isEqualTo("gpu");
    assertThat(p.clusters())
        .containsExactly(
            new Placement.ClusterWeight("east", 60), new Placement.ClusterWeight("west", 40));
    assertThat(p.strict()).isTrue();
    assertThat(p.labels()).isEqualTo(Map.of("zone", "eu-1a", "kairos.dev/gpu", "true"));
    assertThat(m.spec().maxActiveRuns()).isEqualTo(3);
    assertThat(JobManifestCodec.parseJson(JobManifestCodec.toJson(m))).isEqualTo(m);
  }

  @Test
  void aClusterWithoutWeightWeighsOneAndNoPlacementMeansAnyWorkerOfTheDefaultPool() {
    JobManifest m =
        JobManifestCodec.parseYaml(
            job("placement: {clusters: [{name: a}, {name: b}]}\ntask: {empty: {}}"));
    assertThat(m.spec().placement().clusters())
        .extracting(Placement.ClusterWeight::weight)
        .containsExactly(1, 1);
    JobManifest plain = JobManifestCodec.parseYaml(job("task: {empty: {}}"));
    assertThat(plain.spec().placement()).isEqualTo(Placement.DEFAULT);
    assertThat(plain.spec().maxActiveRuns()).isNull();
    assertThat(JobManifestCodec.toJson(plain)).doesNotContain("placement");
  }

  @Test
  void badPlacementsNameEachField() {
    List<FieldError> errors =
        errors(
            job(
                """
                maxActiveRuns: 0
                placement:
                  clusters: [{name: east, weight: 0}, {name: East_1}, {name: west}, {name: west}]
                  labels: {"bad key!": x, zone: "-no-"}
                task: {empty: {}}
                """));
    assertThat(errors)
        .extracting(FieldError::path)
        .containsExactlyInAnyOrder(
            "spec.maxActiveRuns",
            "spec.placement.clusters[0].weight",
            "spec.placement.clusters[1].name",
            "spec.placement.clusters[3].name",
            "spec.placement.labels.bad key!",
            "spec.placement.labels.zone");
    assertThat(errors.toString()).contains("is listed twice");
  }

  @Test
  void strictNeedsClusters() {
    assertThat(errors(job("placement: {strict: true}\ntask: {empty: {}}")))
        .extracting(FieldError::toString)
        .containsExactly(
            "spec.placement.strict: \"true\": needs placement.clusters: strict keeps each run in"
                + " the cluster chosen for it");
  }

  @Test
  void aRequestAboveItsLimitIsRejectedAndALimitAloneIsAlsoTheRequest() {
    assertThat(
            errors(
                job(
                    "resources: {requests: {cpu: \"2\", memory: 1Gi}, limits: {cpu: 1500m, memory: 2Gi}}\n"
                        + "task: {empty: {}}")))
        .extracting(FieldError::path)
        .containsExactly("spec.resources.requests.cpu");
    Resources r =
        JobManifestCodec.parseYaml(
                job("resources: {limits: {cpu: 500m, memory: 256Mi}}\ntask: {empty: {}}"))
            .spec()
            .tasks()
            .get(0)
            .resources();
    assertThat(r.cpuRequestMillis()).isEqualTo(500);
    assertThat(r.memoryRequestBytes()).isEqualTo(256L << 20);
    assertThat(r.cpuLimitMillis()).isEqualTo(500);
    assertThat(Resources.NONE.cpuRequestMillis()).isZero();
    assertThat(Resources.NONE.memoryLimitBytes()).isNull();
  }
}
