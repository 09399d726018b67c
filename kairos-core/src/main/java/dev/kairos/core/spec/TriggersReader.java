package dev.kairos.core.spec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kairos.core.event.EventTrigger;
import dev.kairos.core.event.Filter;
import dev.kairos.core.event.FilterException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads {@code spec.triggers}: a list of {@code {event: {type, filter}}}. */
final class TriggersReader {
  static final Set<String> TRIGGER = new LinkedHashSet<>(List.of("event"));
  static final Set<String> EVENT = new LinkedHashSet<>(List.of("type", "filter"));

  /** CloudEvents types are free text; ours stay readable in specs, URLs and metrics. */
  static final Pattern TYPE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/-]{0,199}");

  private final NodeReader r;

  TriggersReader(NodeReader r) {
    this.r = r;
  }

  List<EventTrigger> read(JsonNode node) {
    List<EventTrigger> triggers = new ArrayList<>();
    if (node == null || node.isNull()) {
      return triggers;
    }
    if (!node.isArray()) {
      r.error("spec.triggers", node, "must be a list of {event: {type, filter}}");
      return triggers;
    }
    for (int i = 0; i < node.size(); i++) {
      String path = "spec.triggers[" + i + "]";
      if (!r.object(node.get(i), path, TRIGGER)) {
        continue;
      }
      JsonNode event = node.get(i).get("event");
      String eventPath = path + ".event";
      if (!r.object(event, eventPath, EVENT)) {
        continue;
      }
      String type = r.string(event, "type", eventPath, true);
      if (type != null && !TYPE.matcher(type).matches()) {
        r.error(
            eventPath + ".type",
            type,
            "must be 1 to 200 letters, digits or . _ : / - (starting with a letter or digit)");
        type = null;
      }
      String expression = r.string(event, "filter", eventPath, false);
      Filter filter = null;
      if (expression != null) {
        try {
          filter = Filter.parse(expression);
        } catch (FilterException e) {
          r.error(eventPath + ".filter", expression, e.getMessage());
          continue;
        }
      }
      if (type != null) {
        triggers.add(new EventTrigger(type, filter));
      }
    }
    return triggers;
  }
}
