package dev.kairos.core.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code http.maxResponseBytes}: how much of an answer a worker reads. */
class HttpResponseCapTest {
  static String tasks(String http) {
    return """
    apiVersion: kairos.dev/v1
    kind: Job
    metadata: {name: call}
    spec:
      tasks:
        - name: call
          http: %s
    """
        .formatted(http);
  }

  static HttpSpec http(String yaml) {
    return (HttpSpec) JobManifestCodec.parseYaml(yaml).spec().tasks().get(0).executor();
  }

  static List<String> errors(String yaml) {
    try {
      JobManifestCodec.parseYaml(yaml);
    } catch (ValidationException e) {
      return e.errors().stream().map(FieldError::toString).toList();
    }
    throw new AssertionError("expected a validation error");
  }

  @Test
  void theDefaultIsOneMebibyteAndIsLeftOutOfTheCanonicalJson() {
    String yaml = tasks("{url: \"https://fn.example/x\"}");
    assertThat(http(yaml).maxResponseBytes())
        .isEqualTo(1 << 20)
        .isEqualTo(HttpSpec.DEFAULT_MAX_RESPONSE_BYTES);
    assertThat(JobManifestCodec.toJson(JobManifestCodec.parseYaml(yaml)))
        .doesNotContain("maxResponseBytes");
  }

  @Test
  void aCapIsBytesOrAQuantityAndSurvivesTheRoundTrip() {
    assertThat(
            http(tasks("{url: \"https://fn.example/x\", maxResponseBytes: 1}")).maxResponseBytes())
        .isEqualTo(1);
    assertThat(
            http(tasks("{url: \"https://fn.example/x\", maxResponseBytes: 4Mi}"))
                .maxResponseBytes())
        .isEqualTo(4 << 20);
    assertThat(
            http(tasks("{url: \"https://fn.example/x\", maxResponseBytes: 64Mi}"))
                .maxResponseBytes())
        .isEqualTo(Bounds.RESPONSE_BYTES_MAX);
    JobManifest m =
        JobManifestCodec.parseYaml(
            tasks("{url: \"https://fn.example/x\", maxResponseBytes: 500k}"));
    String json = JobManifestCodec.toJson(m);
    assertThat(json).contains("\"maxResponseBytes\":500000");
    assertThat(JobManifestCodec.parseJson(json)).isEqualTo(m);
    assertThat(TaskSpecCodec.fromJson(TaskSpecCodec.toJson(m.spec().tasks().get(0))).executor())
        .isEqualTo(m.spec().tasks().get(0).executor());
  }

  @Test
  void aCapOutsideItsRangeIsRejectedNamingTheFieldAndTheBound() {
    assertThat(errors(tasks("{url: \"https://fn.example/x\", maxResponseBytes: 0}")))
        .containsExactly(
            "spec.tasks[0].http.maxResponseBytes: \"0\": is less than the smallest allowed, 1");
    assertThat(errors(tasks("{url: \"https://fn.example/x\", maxResponseBytes: 65Mi}")))
        .containsExactly(
            "spec.tasks[0].http.maxResponseBytes: \"65Mi\": is more than the largest allowed,"
                + " 64Mi (67108864 bytes)");
    assertThat(
            errors(
                tasks("{url: \"https://fn.example/x\", maxResponseBytes: 99999999999999999999}")))
        .containsExactly(
            "spec.tasks[0].http.maxResponseBytes: \"99999999999999999999\": is more than the"
                + " largest allowed, 64Mi (67108864 bytes)");
    assertThat(errors(tasks("{url: \"https://fn.example/x\", maxResponseBytes: -5}")))
        .containsExactly(
            "spec.tasks[0].http.maxResponseBytes: \"-5\": is less than the smallest allowed, 1");
    assertThat(errors(tasks("{url: \"https://fn.example/x\", maxResponseBytes: lots}")))
        .containsExactly(
            "spec.tasks[0].http.maxResponseBytes: \"lots\": not a number of bytes; use bytes with"
                + " an optional suffix: 65536, 512Ki, 4Mi, 1M (1 to 64Mi)");
    assertThat(errors(tasks("{url: \"https://fn.example/x\", maxResponseBytes: 1.5}")))
        .containsExactly(
            "spec.tasks[0].http.maxResponseBytes: \"1.5\": not a number of bytes; use bytes with"
                + " an optional suffix: 65536, 512Ki, 4Mi, 1M (1 to 64Mi)");
  }

  @Test
  void aStoredCapIsReadWithoutItsRange() {
    // a task spec stored or sent to a worker is read as it was accepted
    String json =
        "{\"name\":\"call\",\"http\":{\"url\":\"https://fn.example/x\",\"method\":\"POST\","
            + "\"maxResponseBytes\":1073741824}}";
    assertThat(((HttpSpec) TaskSpecCodec.fromJson(json).executor()).maxResponseBytes())
        .isEqualTo(1L << 30);
    assertThatThrownBy(() ->
            JobManifestCodec.parseYaml(
                tasks("{url: \"https://fn.example/x\", maxResponseBytes: 1Gi}")))
        .isInstanceOf(ValidationException.class);
  }
}
