package dev.kairos.core.event;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Objects;

/** The values a filter computes with: null, Boolean, Double, String, a list, or a JSON tree. */
final class Values {
  private Values() {}

  /** A JSON value as a plain one (objects and arrays stay JSON). */
  static Object of(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return null;
    }
    if (node.isBoolean()) {
      return node.asBoolean();
    }
    if (node.isNumber()) {
      return node.asDouble();
    }
    if (node.isTextual()) {
      return node.asText();
    }
    return node;
  }

  static boolean truthy(Object v) {
    return switch (v) {
      case null -> false;
      case Boolean b -> b;
      case Double d -> d != 0;
      case String s -> !s.isEmpty();
      default -> true;
    };
  }

  static boolean compare(Object leftValue, String op, Object rightValue) {
    Object left = leftValue;
    Object right = rightValue;
    // a text that holds a number compares with a number as that number: task outputs and many
    // event payloads carry numbers as texts ("rows": "5")
    if (left instanceof Double && right instanceof String t) {
      right = number(t, right);
    } else if (right instanceof Double && left instanceof String t) {
      left = number(t, left);
    }
    return compareAs(left, op, right);
  }

  private static boolean compareAs(Object left, String op, Object right) {
    switch (op) {
      case "==" -> {
        return equal(left, right);
      }
      case "!=" -> {
        return !equal(left, right);
      }
      case "in" -> {
        return right instanceof List<?> list && list.stream().anyMatch(x -> equal(left, x));
      }
      case "contains" -> {
        if (left instanceof String s && right instanceof String t) {
          return s.contains(t);
        }
        if (left instanceof JsonNode array && array.isArray()) {
          for (JsonNode item : array) {
            if (equal(of(item), right)) {
              return true;
            }
          }
        }
        return false;
      }
      case "startsWith" -> {
        return left instanceof String s && right instanceof String t && s.startsWith(t);
      }
      case "endsWith" -> {
        return left instanceof String s && right instanceof String t && s.endsWith(t);
      }
      default -> {
        // ordering: numbers with numbers, texts with texts; anything else (null too) is false
        int c;
        if (left instanceof Double a && right instanceof Double b) {
          c = Double.compare(a, b);
        } else if (left instanceof String a && right instanceof String b) {
          c = a.compareTo(b);
        } else {
          return false;
        }
        return switch (op) {
          case "<" -> c < 0;
          case "<=" -> c <= 0;
          case ">" -> c > 0;
          case ">=" -> c >= 0;
          default -> throw new IllegalStateException("unknown operator " + op);
        };
      }
    }
  }

  private static Object number(String text, Object otherwise) {
    try {
      return Double.parseDouble(text.trim());
    } catch (NumberFormatException e) {
      return otherwise;
    }
  }

  private static boolean equal(Object a, Object b) {
    return Objects.equals(a, b);
  }
}
