package dev.kairos.core.spec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads Job manifests from YAML or JSON, validating every field, and writes them back as canonical
 * JSON (fixed field order, defaults left out) so that equal manifests have equal text.
 */
public final class JobManifestCodec {
  /**
   * A key given twice is an error, not "the last one wins" (a second {@code schedule:} further down
   * a long manifest silently replaced the first); so is anything after the manifest.
   */
  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private static final ObjectMapper YAML =
      YAMLMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private JobManifestCodec() {}

  /**
   * Parses and validates a YAML manifest; throws {@link ValidationException} with every problem.
   * Several documents ({@code ---} separated) are refused: see {@link #yamlDocuments} to read each.
   */
  public static JobManifest parseYaml(String yaml) {
    List<JsonNode> docs = yamlDocuments(yaml);
    if (docs.isEmpty()) {
      throw new ValidationException("", null, "the manifest is empty");
    }
    if (docs.size() > 1) {
      throw new ValidationException("", null, severalDocuments(docs.size()));
    }
    return parse(docs.get(0));
  }

  /** Why a YAML text of {@code count} documents is not one manifest. */
  public static String severalDocuments(int count) {
    return "holds "
        + count
        + " YAML documents (separated by ---); a manifest is one document: apply each on its own"
        + " (kairos apply -f applies the documents of a file in turn)";
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

  /** Validates one manifest tree, e.g. a document of {@link #yamlDocuments}. */
  public static JobManifest parse(JsonNode manifest) {
    return new ManifestReader().read(manifest);
  }

  /**
   * Parses each document of a multi-document YAML stream ({@code ---} separated); empty documents
   * (a leading or trailing {@code ---}) are left out.
   */
  public static List<JsonNode> yamlDocuments(String yaml) {
    List<JsonNode> docs = new ArrayList<>();
    if (yaml == null || yaml.isBlank()) {
      return docs;
    }
    try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(yaml)) {
      while (it.hasNextValue()) {
        JsonNode doc = it.nextValue();
        if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
          docs.add(doc);
        }
      }
    } catch (JsonProcessingException e) {
      throw invalid(e, "YAML");
    } catch (java.io.IOException e) {
      throw new ValidationException("", null, "not valid YAML: " + oneLine(e));
    }
    return docs;
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
      throw invalid(e, format);
    }
  }

  /** The error for text the parser refused: a key given twice names its path. */
  private static ValidationException invalid(JsonProcessingException e, String format) {
    String m = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
    if (m.startsWith("Duplicate field '") && e.getProcessor() instanceof JsonParser p) {
      return new ValidationException(
          path(p.getParsingContext()),
          null,
          "is given twice"
              + (e.getLocation() == null
                  ? ""
                  : " (again on line " + e.getLocation().getLineNr() + ")")
              + "; a key may be given once");
    }
    if (m.startsWith("Trailing token")) {
      return new ValidationException(
          "", null, "not valid " + format + ": more after the manifest" + location(e));
    }
    return new ValidationException("", null, "not valid " + format + ": " + oneLine(e));
  }

  /** {@code spec.tasks[1].shell.command} for the parser's place. */
  private static String path(JsonStreamContext context) {
    StringBuilder path = new StringBuilder();
    for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
      if (c.inArray()) {
        path.insert(0, "[" + c.getCurrentIndex() + "]");
      } else if (c.getCurrentName() != null) {
        path.insert(
            0, (c.getParent() != null && c.getParent().inRoot() ? "" : ".") + c.getCurrentName());
      }
    }
    return path.toString();
  }

  private static String location(JsonProcessingException e) {
    return e.getLocation() == null
        ? ""
        : " (line "
            + e.getLocation().getLineNr()
            + ", column "
            + e.getLocation().getColumnNr()
            + ")";
  }

  private static String oneLine(Exception e) {
    String m = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
    String where = e instanceof JsonProcessingException j ? location(j) : "";
    return (m == null ? e.getClass().getSimpleName() : m.lines().findFirst().orElse(m)) + where;
  }
}
