package dev.kairos.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/**
 * The event that started a run, as a task sees it: {@code KAIROS_EVENT} (the event as JSON: type,
 * source, id, data) and, as run parameters, {@code KAIROS_PARAM_<NAME>} for each top-level field of
 * its data that is a text, number or boolean (the name upper-cased, other characters as {@code _}).
 * Only the environment carries them, never a command line.
 */
final class EventEnv {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Keeps the environment well under the kernel's limits whatever an event carries. */
  private static final int MAX_PARAMS = 100;

  private EventEnv() {}

  static void put(String eventJson, Map<String, String> env) {
    env.put("KAIROS_EVENT", eventJson);
    JsonNode data;
    try {
      data = JSON.readTree(eventJson).path("data");
    } catch (IOException e) {
      return; // the server sent it as JSON: nothing else to take from it
    }
    int n = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it = data.fields();
        it.hasNext() && n < MAX_PARAMS; ) {
      Map.Entry<String, JsonNode> field = it.next();
      JsonNode v = field.getValue();
      if (v.isValueNode() && !v.isNull()) {
        String name = field.getKey().toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9_]", "_");
        env.put("KAIROS_PARAM_" + name, v.asText());
        n++;
      }
    }
  }
}
