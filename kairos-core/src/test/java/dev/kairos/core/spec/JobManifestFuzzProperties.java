package dev.kairos.core.spec;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.kairos.core.fuzz.Mutations;
import java.util.List;
import java.util.function.Supplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Fault isolation of the manifest reader: whatever text arrives (valid manifests edited as text or
 * as trees, random text), it is read, or rejected with a {@link ValidationException} whose every
 * error names a field and says what is wrong; never another exception. A manifest that is read
 * writes back as canonical JSON that reads as the same manifest. Run with more tries: {@code
 * -Djqwik.tries.default=20000}.
 */
class JobManifestFuzzProperties {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** Valid manifests covering every part of the spec (docs/job-spec.md, examples/). */
  static final List<String> VALID =
      List.of(
          JobManifestCodecTest.job(
              """
              schedule: "0 2 * * *"
              timeZone: Asia/Shanghai
              suspend: false
              concurrencyPolicy: Forbid
              startingDeadlineSeconds: 300
              catchup: false
              maxActiveRuns: 3
              retryPolicy: {maxRetries: 3, initialInterval: 10s, maxInterval: 5m, backoffMultiplier: 2.0, jitter: 0.2, maxLost: 2}
              timeout: 30m
              priority: 1000
              resources: {requests: {cpu: 500m, memory: 1Gi}, limits: {cpu: "1", memory: 2Gi}}
              placement:
                pool: default
                clusters: [{name: east, weight: 60}, {name: west, weight: 40}]
                strict: false
                labels: {zone: eu-1a}
              task:
                shell:
                  command: python process.py
                  args: [a, "1"]
                  env: {MODE: full, DB_PASS: {secret: true, value: s3cr3t}, API_KEY: {fromFile: /run/secrets/k}, TOKEN: {fromEnv: DEPLOY_TOKEN}}
                  workingDir: /srv/data
              """),
          JobManifestCodecTest.job(DagSpecTest.AIRFLOW),
          JobManifestCodecTest.job(
              """
              sizeParam: rows
              deadline: "06:00"
              triggers: [{event: {type: file-landed, filter: "data.rows > 1000 && source startsWith 's3://' || !(data.tags contains 'x') && type in ['a', 'b']"}}]
              alerts:
                sla: 30m
                webhooks:
                  - {url: "https://hooks.slack.com/services/T000/B000/XXXX", format: slack, on: [runFailed, slaExceeded]}
                  - url: https://ops.example.com/kairos
              tasks:
                - name: transcode
                  http:
                    url: http://127.0.0.1:8089/transcode
                    method: PUT
                    headers: {X-Source: kairos, Authorization: {secret: true, value: "Bearer abc"}, X-Api-Key: {fromFile: /etc/kairos/token}, X-Token: {fromEnv: API_TOKEN}}
                    body: '{"file": "${param.file}"}'
                    timeout: 30s
                    expectedStatus: [200, 202]
                    sign: true
                - name: notify
                  dependsOn: [transcode]
                  triggerRule: allDone
                  java: {handler: billing.invoice-v2}
                  priority: -5
                  resources: {requests: {cpu: "0.5", memory: 512Mi}}
              """),
          JobManifestCodecTest.job(
              """
              schedule: "*/5 1-3 ? JAN-MAR MON-FRI"
              deadline: 2h
              task: {empty: {}, emits: [data-ready], timeout: PT5M}
              """),
          """
          {"apiVersion": "kairos.dev/v1", "kind": "Job", "metadata": {"name": "j"},
           "spec": {"schedule": "@hourly", "task": {"shell": {"command": "date"}}}}
          """);

  // ---- the properties --------------------------------------------------------------------------

  @Property
  void anEditedYamlManifestIsReadOrRejectedWithFieldErrors(@ForAll("editedYaml") String yaml) {
    readOrRejected(() -> JobManifestCodec.parseYaml(yaml));
  }

  @Property
  void anEditedJsonManifestIsReadOrRejectedWithFieldErrors(@ForAll("editedJson") String json) {
    readOrRejected(() -> JobManifestCodec.parseJson(json));
    storedReadOrRejected(json);
  }

  @Property
  void aManifestWithValuesOfTheWrongTypeOrSizeIsReadOrRejected(@ForAll("editedTrees") JsonNode tree)
      throws Exception {
    // stacked edits can nest past the 1,000 levels Jackson writes (and jqwik's report of the
    // sample then fails too); nesting that deep is the nasty texts' case, not this one's
    net.jqwik.api.Assume.that(depth(tree) <= 900);
    readOrRejected(() -> JobManifestCodec.parseJson(tree.toString()));
    storedReadOrRejected(tree.toString());
    readOrRejected(() -> JobManifestCodec.parseYaml(yaml(tree)));
  }

  /** How deep {@code tree} nests: 1 for a value, one more per enclosing array or object. */
  static int depth(JsonNode tree) {
    int deepest = 0;
    for (JsonNode child : tree) {
      deepest = Math.max(deepest, depth(child));
    }
    return deepest + 1;
  }

  @Property
  void anyTextIsReadOrRejected(@ForAll("anyText") String text) {
    readOrRejected(() -> JobManifestCodec.parseYaml(text));
    readOrRejected(() -> JobManifestCodec.parseJson(text));
  }

  // ---- checks ---------------------------------------------------------------------------------

  /**
   * Reads with {@code read}: a manifest read must round-trip through canonical JSON; a rejection
   * must name each problem's field. Any other exception fails the property.
   */
  static void readOrRejected(Supplier<JobManifest> read) {
    JobManifest m;
    try {
      m = read.get();
    } catch (ValidationException e) {
      assertNamesFields(e);
      return;
    }
    roundTrips(m);
  }

  /**
   * As {@link #readOrRejected} for a stored manifest, which is read without range checks: it
   * round-trips through the stored reader (the bounded one may rightly refuse it).
   */
  static void storedReadOrRejected(String json) {
    JobManifest m;
    try {
      m = JobManifestCodec.parseStoredJson(json);
    } catch (ValidationException e) {
      assertNamesFields(e);
      return;
    }
    String canonical = JobManifestCodec.toJson(m);
    assertThat(JobManifestCodec.parseStoredJson(canonical)).as(canonical).isEqualTo(m);
  }

  static void assertNamesFields(ValidationException e) {
    assertThat(e.errors()).isNotEmpty();
    for (FieldError error : e.errors()) {
      assertThat(error.path()).as("path of %s", error).isNotNull();
      assertThat(error.message()).as("message of %s", error).isNotBlank();
      if (error.path().isEmpty()) {
        // only a problem of the whole document has no field
        assertThat(error.message())
            .as("a problem without a field path")
            .matches("(?s)(not valid (JSON|YAML)|the manifest is empty|must be an object).*");
      }
    }
  }

  /** Canonical JSON reads back as the same manifest, and writes the same JSON again. */
  static void roundTrips(JobManifest m) {
    String json = JobManifestCodec.toJson(m);
    JobManifest again = JobManifestCodec.parseJson(json);
    assertThat(again).as(json).isEqualTo(m);
    assertThat(JobManifestCodec.toJson(again)).isEqualTo(json);
    assertThat(JobManifestCodec.parseStoredJson(json)).as(json).isEqualTo(m);
  }

  static String yaml(JsonNode tree) {
    try {
      return YAML.writeValueAsString(tree);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      // a tree the YAML writer cannot write (none known) is not a reader's problem
      return tree.toString();
    }
  }

  static JsonNode tree(String yaml) {
    try {
      return YAML.readTree(yaml);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  // ---- generators -----------------------------------------------------------------------------

  @Provide
  Arbitrary<String> editedYaml() {
    return Mutations.edited(Arbitraries.of(VALID));
  }

  @Provide
  Arbitrary<String> editedJson() {
    return Mutations.edited(
        Arbitraries.of(VALID).map(JobManifestFuzzProperties::tree).map(JsonNode::toString));
  }

  @Provide
  Arbitrary<JsonNode> editedTrees() {
    return Mutations.editedTrees(Arbitraries.of(VALID).map(JobManifestFuzzProperties::tree));
  }

  @Provide
  Arbitrary<String> anyText() {
    return Arbitraries.oneOf(
        Mutations.nastyText(),
        Arbitraries.strings().all().ofMaxLength(200),
        Arbitraries.strings()
            .withChars("{}[]:,-\"' \n\t!&*|>?#%@`~0123456789.eE+")
            .ofMaxLength(60));
  }

  // ---- what the properties found ----------------------------------------------------------

  /** An unknown field named "" was reported at path "", which names no field. */
  @net.jqwik.api.Example
  void anUnknownFieldWithAnEmptyNameIsNamedByItsPath() {
    ValidationException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            ValidationException.class,
            () ->
                JobManifestCodec.parseJson(
                    "{\"apiVersion\":\"kairos.dev/v1\",\"kind\":\"Job\",\"metadata\":{\"name\":\"x\"},"
                        + "\"spec\":{\"task\":{\"empty\":{}}},\"\":1}"));
    assertThat(e.errors()).extracting(FieldError::path).containsExactly("[\"\"]");
    assertNamesFields(e);
    FieldError env =
        JobManifestCodecTest.errors(
                JobManifestCodecTest.job("task: {shell: {command: x, env: {\"\": y}}}"))
            .get(0);
    assertThat(env.path()).isEqualTo("spec.task.shell.env[\"\"]");
  }

  /**
   * A stored manifest with a multiplier of 1e400 read as Infinity, which was written back as the
   * text "Infinity" and then no longer read.
   */
  @net.jqwik.api.Example
  void aStoredManifestRefusesAnInfiniteNumber() {
    String json =
        "{\"apiVersion\":\"kairos.dev/v1\",\"kind\":\"Job\",\"metadata\":{\"name\":\"x\"},"
            + "\"spec\":{\"retryPolicy\":{\"backoffMultiplier\":1e400},\"task\":{\"empty\":{}}}}";
    ValidationException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            ValidationException.class, () -> JobManifestCodec.parseStoredJson(json));
    assertThat(e.errors().get(0).toString())
        .isEqualTo(
            "spec.retryPolicy.backoffMultiplier: \"Infinity\": must be a number from 1.0 to"
                + " 100.0");
    storedReadOrRejected(json);
  }

  /** A sub-millisecond ISO timeout was kept, but written as whole milliseconds. */
  @net.jqwik.api.Example
  void aSubMillisecondIsoTimeoutRoundTrips() {
    JobManifest m =
        JobManifestCodec.parseYaml(
            JobManifestCodecTest.job("timeout: PT0.0015S\ntask: {empty: {}}"));
    assertThat(m.spec().tasks().get(0).timeout()).isEqualTo(java.time.Duration.ofMillis(2));
    roundTrips(m);
  }

  /** A cron step near the int range wrapped around and threw IndexOutOfBoundsException. */
  @net.jqwik.api.Example
  void aScheduleWithAHugeStepIsRead() {
    readOrRejected(() ->
        JobManifestCodec.parseYaml(
            JobManifestCodecTest.job("schedule: \"59/2147483647 * * * *\"\ntask: {empty: {}}")));
  }

  /** Every valid example reads, so the edited ones start from something real. */
  @net.jqwik.api.Example
  void theValidExamplesAreValid() {
    for (String yaml : VALID) {
      roundTrips(JobManifestCodec.parseYaml(yaml));
      roundTrips(JobManifestCodec.parseJson(tree(yaml).toString()));
    }
  }

  static JsonNode json(String text) throws Exception {
    return JSON.readTree(text);
  }
}
