package dev.kairos.core.spec;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;

/**
 * Reads a secret given as an object ({@link SecretEnv}): a shell task's {@code env} value or an
 * http task's {@code headers} value. An error about a secret names its field, never its value.
 */
final class SecretReader {
  static final Set<String> FIELDS =
      ManifestReader.ordered("secret", "value", "fromFile", "fromEnv");

  /** What a secret's value becomes, which decides what the value may hold. */
  enum Target {
    /** An environment variable of a shell task's process. */
    VARIABLE("variable"),
    /** A request header of an http task. */
    HEADER("header");

    /** What the plain (not secret) form is called in messages. */
    private final String plain;

    Target(String plain) {
      this.plain = plain;
    }

    /** Why {@code value} cannot be used, or null; never quotes the value. */
    String problem(String value) {
      return switch (this) {
        case VARIABLE -> value.indexOf('\0') >= 0 ? ManifestReader.NUL_IN_VARIABLE : null;
        case HEADER -> HttpSpec.headerValueProblem(value);
      };
    }
  }

  private final NodeReader r;

  SecretReader(NodeReader r) {
    this.r = r;
  }

  /** The secret at {@code path}, or null (with the errors recorded) if it is not valid. */
  SecretEnv read(JsonNode v, String path, Target target) {
    if (!r.object(v, path, FIELDS)) {
      return null;
    }
    JsonNode flag = v.get("secret");
    if (flag != null && !(flag.isBoolean() && flag.asBoolean())) {
      r.error(
          NodeReader.path(path, "secret"),
          flag,
          "must be true (a plain " + target.plain + " is written as a string)");
    }
    String value = hiddenString(v, "value", path, target);
    String fromFile = r.string(v, "fromFile", path, false);
    String fromEnv = r.string(v, "fromEnv", path, false);
    int sources = (value != null ? 1 : 0) + (fromFile != null ? 1 : 0) + (fromEnv != null ? 1 : 0);
    if (sources != 1) {
      r.error(path, "<hidden>", "give exactly one of value, fromFile, fromEnv");
      return null;
    }
    if (value != null && flag == null) {
      r.error(
          NodeReader.path(path, "secret"),
          "<missing>",
          "an inline value must say secret: true (a plain "
              + target.plain
              + " is written as a string)");
      return null;
    }
    if (fromEnv != null && !ManifestReader.ENV_NAME.matcher(fromEnv).matches()) {
      r.error(
          NodeReader.path(path, "fromEnv"), fromEnv, "is not a valid environment variable name");
      return null;
    }
    if (fromFile != null && !fromFile.startsWith("/")) {
      r.error(
          NodeReader.path(path, "fromFile"), fromFile, "must be an absolute path on the worker");
      return null;
    }
    return new SecretEnv(value, fromFile, fromEnv);
  }

  /** A string field whose value an error message must not show. */
  private String hiddenString(JsonNode parent, String field, String path, Target target) {
    JsonNode v = parent.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual() && !v.isNumber()) {
      r.error(NodeReader.path(path, field), "<hidden>", "must be a string");
      return null;
    }
    String problem = target.problem(v.asText());
    if (problem != null) {
      // the field is given (so no second error says it is missing), but refused
      r.error(NodeReader.path(path, field), "<hidden>", problem);
    }
    return v.asText();
  }
}
