package dev.kairos.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The event that started a run, as a task sees it: {@code KAIROS_EVENT} (the event as JSON: type,
 * source, id, data) and its run parameters, each top-level field of its data that is a text, number
 * or boolean, as {@code KAIROS_PARAM_<NAME>} (the name upper-cased, other characters as {@code _}).
 * The {@code http} executor and the SDK read the same parameters by their own names. Only the
 * environment carries them, never a command line.
 */
public final class EventEnv {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Keeps the environment well under the kernel's limits whatever an event carries. */
  private static final int MAX_PARAMS = 100;

  private EventEnv() {}

  static void put(String eventJson, Map<String, String> env) {
    env.put("KAIROS_EVENT", eventJson);
    params(eventJson).forEach((name, value) -> env.put(variable(name), value));
  }

  /** The run parameters of an event, by their names in its data; empty for none. */
  public static Map<String, String> params(String eventJson) {
    Map<String, String> params = new LinkedHashMap<>();
    if (eventJson == null) {
      return params;
    }
    JsonNode data;
    try {
      data = JSON.readTree(eventJson).path("data");
    } catch (IOException e) {
      return params; // the server sent it as JSON: nothing else to take from it
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = data.fields();
        it.hasNext() && params.size() < MAX_PARAMS; ) {
      Map.Entry<String, JsonNode> field = it.next();
      JsonNode v = field.getValue();
      if (v.isValueNode() && !v.isNull()) {
        params.put(field.getKey(), v.asText());
      }
    }
    return params;
  }

  /** The environment variable of a parameter: {@code KAIROS_PARAM_<NAME>}. */
  static String variable(String name) {
    return "KAIROS_PARAM_" + name.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9_]", "_");
  }
}
