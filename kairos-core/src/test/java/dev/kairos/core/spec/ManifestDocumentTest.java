package dev.kairos.core.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a manifest's text must be as a document: one, with each key once. */
class ManifestDocumentTest {
  static final String JOB =
      """
      apiVersion: kairos.dev/v1
      kind: Job
      metadata: {name: %s}
      spec:
        task: {empty: {}}
      """;

  static List<FieldError> errors(Runnable parse) {
    try {
      parse.run();
    } catch (ValidationException e) {
      return e.errors();
    }
    throw new AssertionError("expected a validation error");
  }

  @Test
  void aKeyGivenTwiceInYamlIsAnErrorNamingItsPath() {
    // the later value used to win without a word: a schedule of 0 3 instead of 0 2
    List<FieldError> errors =
        errors(() ->
            JobManifestCodec.parseYaml(
                """
                apiVersion: kairos.dev/v1
                kind: Job
                metadata: {name: twice}
                spec:
                  schedule: "0 2 * * *"
                  tasks:
                    - name: a
                      empty: {}
                    - name: b
                      shell: {command: "echo one", command: "echo two"}
                  schedule: "0 3 * * *"
                """));
    assertThat(errors)
        .extracting(FieldError::toString)
        .containsExactly(
            "spec.tasks[1].shell.command: is given twice (again on line 10); a key may be given"
                + " once");
  }

  @Test
  void aKeyGivenTwiceInJsonIsAnErrorNamingItsPath() {
    List<FieldError> errors =
        errors(() ->
            JobManifestCodec.parseJson(
                "{\"apiVersion\": \"kairos.dev/v1\", \"kind\": \"Job\", \"metadata\": {\"name\":"
                    + " \"x\"}, \"spec\": {\"schedule\": \"0 2 * * *\", \"task\": {\"empty\":"
                    + " {}}, \"schedule\": \"0 3 * * *\"}}"));
    assertThat(errors).singleElement().extracting(FieldError::path).isEqualTo("spec.schedule");
    assertThat(errors.get(0).message())
        .isEqualTo("is given twice (again on line 1); a key may be given once");
  }

  @Test
  void aTopLevelKeyGivenTwiceIsNamedToo() {
    assertThat(errors(() -> JobManifestCodec.parseYaml(JOB.formatted("x") + "kind: Job\n")))
        .extracting(FieldError::path)
        .containsExactly("kind");
  }

  @Test
  void severalYamlDocumentsAreRefusedNotHalfRead() {
    // only the first used to be read, the others dropped without a word
    String two = JOB.formatted("first") + "---\n" + JOB.formatted("second");
    assertThat(errors(() -> JobManifestCodec.parseYaml(two)))
        .extracting(FieldError::message)
        .containsExactly(
            "holds 2 YAML documents (separated by ---); a manifest is one document: apply each on"
                + " its own (kairos apply -f applies the documents of a file in turn)");
    // empty documents (a leading or trailing ---) are no documents
    assertThat(JobManifestCodec.parseYaml("---\n" + JOB.formatted("one") + "---\n").name())
        .isEqualTo("one");
  }

  @Test
  void theDocumentsOfAStreamAreReadEachWithItsOwnKeys() {
    List<JsonNode> docs =
        JobManifestCodec.yamlDocuments(
            "---\n" + JOB.formatted("a") + "---\n---\n" + JOB.formatted("b") + "...\n");
    assertThat(docs).hasSize(2);
    assertThat(docs).extracting(d -> JobManifestCodec.parse(d).name()).containsExactly("a", "b");
    assertThatThrownBy(
            () -> JobManifestCodec.yamlDocuments(JOB.formatted("a") + "---\na: 1\na: 2\n"))
        .isInstanceOf(ValidationException.class)
        .hasMessage("a: is given twice (again on line 8); a key may be given once");
  }

  @Test
  void jsonAfterTheManifestIsRefused() {
    String json =
        "{\"apiVersion\": \"kairos.dev/v1\", \"kind\": \"Job\", \"metadata\": {\"name\": \"x\"},"
            + " \"spec\": {\"task\": {\"empty\": {}}}}";
    assertThat(JobManifestCodec.parseJson(json + "\n  ").name()).isEqualTo("x");
    assertThat(errors(() -> JobManifestCodec.parseJson(json + " " + json)))
        .extracting(FieldError::message)
        .singleElement()
        .asString()
        .startsWith("not valid JSON: more after the manifest (line 1, column ");
  }
}
