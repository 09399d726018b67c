package dev.kairos.core.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code http.headers} whose values are secrets, given as a shell task's secret variables are. */
class HttpSecretHeadersTest {
  static String job(String headers) {
    return """
    apiVersion: kairos.dev/v1
    kind: Job
    metadata: {name: call}
    spec:
      task:
        http:
          url: https://fn.example/load
          headers:
    %s
    """
        .formatted(headers.indent(8));
  }

  static HttpSpec http(JobManifest m) {
    return (HttpSpec) m.spec().tasks().get(0).executor();
  }

  static List<String> errors(String yaml) {
    try {
      JobManifestCodec.parseYaml(yaml);
    } catch (ValidationException e) {
      return e.errors().stream().map(FieldError::toString).toList();
    }
    throw new AssertionError("expected a validation error");
  }

  static final String THREE_SOURCES =
      """
      X-Team: data
      Authorization: {secret: true, value: "Bearer abc-123"}
      X-Api-Key: {fromFile: /etc/kairos/token}
      X-Token: {fromEnv: API_TOKEN}
      """;

  @Test
  void aHeaderValueMayBeASecretFromEachSourceBesidePlainOnes() {
    HttpSpec http = http(JobManifestCodec.parseYaml(job(THREE_SOURCES)));

    assertThat(http.headers()).isEqualTo(Map.of("X-Team", "data"));
    assertThat(http.secretHeaders())
        .isEqualTo(
            Map.of(
                "Authorization", new SecretEnv("Bearer abc-123", null, null),
                "X-Api-Key", new SecretEnv(null, "/etc/kairos/token", null),
                "X-Token", new SecretEnv(null, null, "API_TOKEN")));
  }

  @Test
  void secretHeadersAreWrittenBackAndRoundTrip() {
    JobManifest m = JobManifestCodec.parseYaml(job(THREE_SOURCES));
    String json = JobManifestCodec.toJson(m);

    assertThat(json)
        .contains(
            "\"headers\":{\"X-Team\":\"data\","
                + "\"Authorization\":{\"secret\":true,\"value\":\"Bearer abc-123\"},"
                + "\"X-Api-Key\":{\"fromFile\":\"/etc/kairos/token\"},"
                + "\"X-Token\":{\"fromEnv\":\"API_TOKEN\"}}");
    assertThat(JobManifestCodec.parseJson(json)).isEqualTo(m);
    assertThat(JobManifestCodec.parseStoredJson(json)).isEqualTo(m);
    // as a worker receives it
    TaskSpec task = m.spec().tasks().get(0);
    assertThat(TaskSpecCodec.fromJson(TaskSpecCodec.toJson(task))).isEqualTo(task);
  }

  @Test
  void theJobAsShownHidesAnInlineSecretHeaderButNotAReference() {
    JobManifest m = JobManifestCodec.parseYaml(job(THREE_SOURCES));
    String shown = JobManifestCodec.toJson(m.redacted());

    assertThat(shown)
        .doesNotContain("abc-123")
        .contains("\"Authorization\":{\"secret\":true,\"value\":\"***\"}")
        .contains("\"X-Api-Key\":{\"fromFile\":\"/etc/kairos/token\"}")
        .contains("\"X-Token\":{\"fromEnv\":\"API_TOKEN\"}")
        .contains("\"X-Team\":\"data\"");
    assertThat(http(m.redacted()).secretHeaders().get("Authorization"))
        .isEqualTo(new SecretEnv("***", null, null));
  }

  @Test
  void aBadSecretHeaderIsRejectedLikeASecretVariableWithoutShowingItsValue() {
    List<String> all =
        errors(
            job(
                """
                A: {value: hunter2}
                B: {secret: true, value: hunter2, fromEnv: X}
                C: {secret: false, value: hunter2}
                D: {fromFile: relative/path}
                E: {fromEnv: "not a name"}
                F: {secret: true, valu: hunter2}
                G: [hunter2]
                """));

    String at = "spec.task.http.headers.";
    assertThat(all)
        .containsExactlyInAnyOrder(
            at
                + "A.secret: \"<missing>\": an inline value must say secret: true (a plain header"
                + " is written as a string)",
            at + "B: \"<hidden>\": give exactly one of value, fromFile, fromEnv",
            at + "C.secret: \"false\": must be true (a plain header is written as a string)",
            at + "D.fromFile: \"relative/path\": must be an absolute path on the worker",
            at + "E.fromEnv: \"not a name\": is not a valid environment variable name",
            at
                + "F.valu: unknown field (did you mean value?); known fields: secret, value,"
                + " fromFile, fromEnv",
            at + "F: \"<hidden>\": give exactly one of value, fromFile, fromEnv",
            at
                + "G: \"[\"hunter2\"]\": must be a string, or {secret: true, value: ...} for a secret");
    assertThat(all.stream().filter(e -> !e.startsWith(at + "G:")).toList().toString())
        .doesNotContain("hunter2");
  }

  @Test
  void aSecretHeaderNameHasThePlainHeadersChecks() {
    assertThat(
            errors(
                job(
                    """
                    "Bad Name": {secret: true, value: hunter2}
                    X-Kairos-Signature: {fromEnv: SIG}
                    """)))
        .containsExactlyInAnyOrder(
            "spec.task.http.headers.Bad Name: \"Bad Name\": is not a valid header name",
            "spec.task.http.headers.X-Kairos-Signature: \"X-Kairos-Signature\": is set by Kairos");
  }

  @Test
  void aHeaderIsGivenEitherPlainOrSecretNotBoth() {
    assertThat(
            errors(
                job(
                    """
                    authorization: Basic eA==
                    Authorization: {fromFile: /etc/kairos/token}
                    """)))
        .containsExactly(
            "spec.task.http.headers.Authorization: \"Authorization\": names the same header as"
                + " authorization (header names are case-insensitive); give a header once");
    assertThatThrownBy(() ->
            new HttpSpec(
                "https://fn.example/load",
                "POST",
                Map.of("X-Token", "plain"),
                null,
                null,
                List.of(),
                false,
                HttpSpec.DEFAULT_MAX_RESPONSE_BYTES,
                Map.of("x-token", new SecretEnv(null, null, "API_TOKEN"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("header x-token is given both as a plain value and as a secret");
  }

  @Test
  void anInlineSecretHeaderWithANulOrLineBreakIsRefusedWhenAppliedWithoutShowingIt() {
    List<String> all =
        errors(
            job(
                """
                Authorization: {secret: true, value: "Bearer \\0hunter2"}
                X-Injected: {secret: true, value: "abc\\r\\nX-Admin: hunter2"}
                """));

    assertThat(all)
        .containsExactlyInAnyOrder(
            "spec.task.http.headers.Authorization.value: \"<hidden>\": holds a NUL byte"
                + " (\\u0000), which no HTTP header value can hold",
            "spec.task.http.headers.X-Injected.value: \"<hidden>\": holds a line break (CR or"
                + " LF), which no HTTP header value can hold");
  }

  @Test
  void aHeaderValueTheHttpClientRefusesIsNamedWithoutBeingQuoted() {
    assertThat(HttpSpec.headerValueProblem("Bearer abc\t=/+_-~ é")).isNull();
    assertThat(HttpSpec.headerValueProblem("a\nb")).contains("line break");
    assertThat(HttpSpec.headerValueProblem("a\u007fb")).contains("control character");
    assertThat(HttpSpec.headerValueProblem("token-€")).contains("past ISO-8859-1");
  }

  @Test
  void theOldConstructorsMakeACallWithoutSecretHeaders() {
    HttpSpec http =
        new HttpSpec(
            "https://fn.example/load",
            "GET",
            Map.of("X-Team", "data"),
            null,
            Duration.ofSeconds(5),
            List.of(),
            false);
    assertThat(http.secretHeaders()).isEmpty();
    assertThat(http.redacted()).isSameAs(http);
  }
}
