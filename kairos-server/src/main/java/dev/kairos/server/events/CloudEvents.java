package dev.kairos.server.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kairos.core.spec.FieldError;
import dev.kairos.store.NewEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * Reads an event in CloudEvents form from any transport: structured (a JSON body {@code {type,
 * source, id, data}}) or binary ({@code ce-type}, {@code ce-source}, {@code ce-id} headers or
 * properties, the body as data). Every problem is reported at once, naming the field.
 */
public final class CloudEvents {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_TYPE = 200;
  private static final int MAX_SOURCE = 500;
  private static final int MAX_ID = 200;

  private CloudEvents() {}

  /** An event that cannot be read; {@link #errors} says why, field by field. */
  public static final class BadEvent extends RuntimeException {
    private final List<FieldError> errors;

    BadEvent(List<FieldError> errors) {
      super(String.join("; ", errors.stream().map(FieldError::toString).toList()));
      this.errors = List.copyOf(errors);
    }

    public List<FieldError> errors() {
      return errors;
    }
  }

  /**
   * @param body the message body
   * @param contentType its content type, or null
   * @param header a header or property by name (case as the transport gives it), or null
   * @param fallbackId the transport's own message id, used when the event has none; may be null
   */
  public static NewEvent read(
      byte[] body, String contentType, UnaryOperator<String> header, String fallbackId) {
    String type = header.apply("ce-type");
    if (type != null) {
      String ct = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
      String text = new String(body, StandardCharsets.UTF_8);
      String data;
      if (text.isEmpty()) {
        data = null;
      } else if (ct.contains("json")) {
        try {
          JsonNode node = JSON.readTree(text);
          // white space only reads as no JSON value at all, whose text ("") is not JSON
          data = node.isMissingNode() ? null : node.toString();
        } catch (IOException e) {
          throw new BadEvent(List.of(new FieldError("data", null, "must be JSON")));
        }
      } else {
        data = JSON.getNodeFactory().textNode(text).toString();
      }
      String id = header.apply("ce-id");
      return checked(
          type, header.apply("ce-source"), id != null ? id : fallbackId, data, "header ce-");
    }
    JsonNode node;
    try {
      node = JSON.readTree(body);
    } catch (IOException e) {
      node = null;
    }
    if (node == null || !node.isObject()) {
      throw new BadEvent(
          List.of(new FieldError("body", null, "must be a JSON object {type, source, id, data}")));
    }
    JsonNode data = node.get("data");
    String id = text(node, "id");
    return checked(
        text(node, "type"),
        text(node, "source"),
        id != null ? id : fallbackId,
        data == null || data.isNull() ? null : data.toString(),
        "");
  }

  private static String text(JsonNode body, String field) {
    JsonNode v = body.get(field);
    return v == null || !v.isTextual() ? null : v.asText();
  }

  private static NewEvent checked(
      String type, String source, String id, String data, String prefix) {
    List<FieldError> errors = new ArrayList<>();
    check(errors, prefix + "type", type, MAX_TYPE);
    check(errors, prefix + "source", source, MAX_SOURCE);
    check(errors, prefix + "id", id, MAX_ID);
    if (!errors.isEmpty()) {
      throw new BadEvent(errors);
    }
    return new NewEvent(type, source, id, data);
  }

  private static void check(List<FieldError> errors, String field, String value, int max) {
    if (value == null || value.isBlank()) {
      errors.add(new FieldError(field, value, "is required (a text)"));
    } else if (value.length() > max || value.chars().anyMatch(Character::isISOControl)) {
      errors.add(
          new FieldError(
              field,
              value.length() > 50 ? value.substring(0, 50) + "…" : value,
              "must be 1 to " + max + " characters without control characters"));
    }
  }
}
