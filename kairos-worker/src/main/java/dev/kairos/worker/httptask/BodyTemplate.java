package dev.kairos.worker.httptask;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills an {@code http} task's body template: each {@code ${name}} becomes its value, escaped for a
 * JSON string when the body is JSON (so a value holding a quote cannot change the document's
 * shape); an unknown name becomes the empty text.
 */
final class BodyTemplate {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9_.-]+)}");

  private BodyTemplate() {}

  static String fill(String template, Map<String, String> values, boolean json) {
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = values.getOrDefault(m.group(1), "");
      String safe = json ? new String(JsonStringEncoder.getInstance().quoteAsString(value)) : value;
      m.appendReplacement(out, Matcher.quoteReplacement(safe));
    }
    m.appendTail(out);
    return out.toString();
  }
}
