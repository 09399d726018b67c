package dev.kairos.core.spec;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Walks a JSON/YAML tree, converting fields and collecting every problem with its path instead of
 * stopping at the first. Each getter returns null (or a default) when the value is missing or bad.
 */
final class NodeReader {
  private final List<FieldError> errors = new ArrayList<>();
  private final boolean bounded;

  /** A reader of user input: every number and duration is checked against its range. */
  NodeReader() {
    this(true);
  }

  /**
   * @param bounded whether numbers and durations are checked against their ranges: true for what a
   *     user gives, false for what was stored or sent after it was accepted (a manifest stored
   *     before a bound existed must still be read; arithmetic on its values saturates instead)
   */
  NodeReader(boolean bounded) {
    this.bounded = bounded;
  }

  boolean bounded() {
    return bounded;
  }

  List<FieldError> errors() {
    return errors;
  }

  void error(String path, JsonNode value, String message) {
    errors.add(new FieldError(path, value == null ? null : display(value), message));
  }

  void error(String path, String value, String message) {
    errors.add(new FieldError(path, value, message));
  }

  private static String display(JsonNode value) {
    if (value.isValueNode()) {
      return value.asText();
    }
    String s = value.toString();
    return s.length() > 80 ? s.substring(0, 77) + "..." : s;
  }

  /**
   * The path of {@code field} within {@code parent}, e.g. {@code spec.timeout}. A field whose name
   * is empty is written {@code spec[""]}: every path names its field, even that one.
   */
  static String path(String parent, String field) {
    if (field.isEmpty()) {
      return parent + "[\"\"]";
    }
    return parent.isEmpty() ? field : parent + "." + field;
  }

  /**
   * Checks that {@code node} is an object with only {@code known} fields. Returns false (and
   * records why) if it is not an object.
   */
  boolean object(JsonNode node, String path, Set<String> known) {
    if (node == null || !node.isObject()) {
      error(path, node, "must be an object with fields " + String.join(", ", known));
      return false;
    }
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!known.contains(name)) {
        String suggestion = Spelling.closest(name, known);
        error(
            path(path, name),
            (String) null,
            "unknown field"
                + (suggestion == null ? "" : " (did you mean " + suggestion + "?)")
                + "; known fields: "
                + String.join(", ", known));
      }
    }
    return true;
  }

  String string(JsonNode parent, String field, String path, boolean required) {
    JsonNode v = parent.get(field);
    if (v == null || v.isNull()) {
      if (required) {
        error(path(path, field), (String) null, "is required");
      }
      return null;
    }
    if (!v.isTextual() && !v.isNumber() && !v.isBoolean()) {
      error(path(path, field), v, "must be a string");
      return null;
    }
    return v.asText();
  }

  Integer integer(JsonNode parent, String field, String path, int min, int max) {
    Long v = longValue(parent, field, path, min, max);
    return v == null ? null : v.intValue();
  }

  Long longValue(JsonNode parent, String field, String path, long min, long max) {
    JsonNode v = parent.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isIntegralNumber()
        || (bounded && (!v.canConvertToLong() || v.asLong() < min || v.asLong() > max))) {
      error(path(path, field), v, "must be an integer from " + min + " to " + max);
      return null;
    }
    return v.asLong();
  }

  /**
   * A number of bytes: a whole number, or one with a suffix ({@code 512Ki}, {@code 4Mi}, {@code
   * 1M}), from {@code min} to {@code max}.
   */
  Long byteCount(JsonNode parent, String field, String path, long min, long max) {
    JsonNode v = parent.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    long n;
    if (v.isIntegralNumber()) {
      n = v.canConvertToLong() ? v.asLong() : v.bigIntegerValue().signum() * Long.MAX_VALUE;
    } else {
      n = v.isTextual() ? Quantities.byteCount(v.asText()) : -1;
      if (n < 0) {
        error(
            path(path, field),
            v,
            "not a number of bytes; use bytes with an optional suffix: 65536, 512Ki, 4Mi, 1M ("
                + Quantities.briefBytes(min)
                + " to "
                + Quantities.briefBytes(max)
                + ")");
        return null;
      }
    }
    if (bounded && n < min) {
      error(
          path(path, field),
          v,
          "is less than the smallest allowed, " + Quantities.formatBytes(min));
      return null;
    }
    if (bounded && n > max) {
      error(
          path(path, field), v, "is more than the largest allowed, " + Quantities.formatBytes(max));
      return null;
    }
    return n;
  }

  Double number(JsonNode parent, String field, String path, double min, double max) {
    JsonNode v = parent.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    // not even a stored spec holds an infinite number (1e400 reads as one): it would be written
    // back as the text "Infinity"
    if (!v.isNumber()
        || !Double.isFinite(v.asDouble())
        || (bounded && (v.asDouble() < min || v.asDouble() > max))) {
      error(path(path, field), v, "must be a number from " + min + " to " + max);
      return null;
    }
    return v.asDouble();
  }

  Boolean bool(JsonNode parent, String field, String path) {
    JsonNode v = parent.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isBoolean()) {
      error(path(path, field), v, "must be true or false");
      return null;
    }
    return v.asBoolean();
  }

  /**
   * A duration such as 30s, 5m, 1h30m or PT5M, from {@link Bounds#SHORTEST} to {@link
   * Bounds#LONGEST}.
   */
  Duration duration(JsonNode parent, String field, String path) {
    String text = string(parent, field, path, false);
    if (text == null) {
      return null;
    }
    try {
      return bounded
          ? Durations.parseWithin(text, Bounds.SHORTEST, Bounds.LONGEST)
          : Durations.parse(text);
    } catch (IllegalArgumentException e) {
      error(path(path, field), text, e.getMessage());
      return null;
    }
  }

  Map<String, String> stringMap(JsonNode parent, String field, String path) {
    JsonNode v = parent.get(field);
    Map<String, String> map = new LinkedHashMap<>();
    if (v == null || v.isNull()) {
      return map;
    }
    if (!v.isObject()) {
      error(path(path, field), v, "must be a map of strings");
      return map;
    }
    v.fields()
        .forEachRemaining(e -> {
          JsonNode val = e.getValue();
          if (val.isObject() || val.isArray() || val.isNull()) {
            error(path(path(path, field), e.getKey()), val, "must be a string");
          } else {
            map.put(e.getKey(), val.asText());
          }
        });
    return map;
  }

  List<String> stringList(JsonNode parent, String field, String path) {
    JsonNode v = parent.get(field);
    List<String> list = new ArrayList<>();
    if (v == null || v.isNull()) {
      return list;
    }
    if (!v.isArray()) {
      error(path(path, field), v, "must be a list of strings");
      return list;
    }
    for (int i = 0; i < v.size(); i++) {
      JsonNode item = v.get(i);
      if (item.isObject() || item.isArray() || item.isNull()) {
        error(path(path, field) + "[" + i + "]", item, "must be a string");
      } else {
        list.add(item.asText());
      }
    }
    return list;
  }
}
