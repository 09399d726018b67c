package dev.kairos.core.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.List;

/**
 * Reads Job manifests from YAML or JSON, validating every field, and writes them back as canonical
 * JSON (fixed field order, defaults left out) so that equal manifests have equal text.
 */
public final class JobManifestCodec {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private JobManifestCodec() {}

  /**
   * Parses and validates a YAML manifest; throws {@link ValidationException} with every problem.
   */
  public static JobManifest parseYaml(String yaml) {
    return new ManifestReader().read(tree(YAML, yaml, "YAML"));
  }

  /**
   * Parses and validates a JSON manifest; throws {@link ValidationException} with every problem.
   */
  public static JobManifest parseJson(String json) {
    return new ManifestReader().read(tree(JSON, json, "JSON"));
  }

  /**
   * Reads a manifest that was accepted before (stored, or sent by a server): its structure is
   * checked, the ranges of its numbers and durations are not, so that a job stored before a bound
   * existed still reads (arithmetic on its values saturates instead).
   */
  public static JobManifest parseStoredJson(String json) {
    return new ManifestReader(new NodeReader(false)).read(tree(JSON, json, "JSON"));
  }

  /** Parses each document of a multi-document YAML stream ({@code ---} separated). */
  public static List<JsonNode> yamlDocuments(String yaml) {
    try {
      return YAML.readValues(YAML.getFactory().createParser(yaml), JsonNode.class).readAll();
    } catch (java.io.IOException e) {
      throw new ValidationException("", null, "not valid YAML: " + oneLine(e));
    }
  }

  /** Canonical JSON of a manifest; {@code parseJson(toJson(m)).equals(m)}. */
  public static String toJson(JobManifest manifest) {
    return ManifestWriter.manifest(manifest).toString();
  }

  static JsonNode tree(ObjectMapper mapper, String text, String format) {
    if (text == null || text.isBlank()) {
      throw new ValidationException("", null, "the manifest is empty");
    }
    try {
      JsonNode node = mapper.readTree(text);
      if (node == null || node.isMissingNode()) {
        throw new ValidationException("", null, "the manifest is empty");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new ValidationException("", null, "not valid " + format + ": " + oneLine(e));
    }
  }

  private static String oneLine(Exception e) {
    String m = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
    String location = "";
    if (e instanceof JsonProcessingException j && j.getLocation() != null) {
      location =
          " (line "
              + j.getLocation().getLineNr()
              + ", column "
              + j.getLocation().getColumnNr()
              + ")";
    }
    return (m == null ? e.getClass().getSimpleName() : m.lines().findFirst().orElse(m)) + location;
  }
}
