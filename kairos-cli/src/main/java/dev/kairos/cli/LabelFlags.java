package dev.kairos.cli;

import dev.kairos.core.spec.Labels;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Repeated {@code --label key=value} flags, checked with the Kubernetes label rules. */
final class LabelFlags {
  private LabelFlags() {}

  /**
   * @throws IllegalArgumentException saying which label is wrong and what is allowed
   */
  static Map<String, String> parse(List<String> flags) {
    Map<String, String> labels = new LinkedHashMap<>();
    for (String flag : flags) {
      int eq = flag.indexOf('=');
      if (eq < 0) {
        throw new IllegalArgumentException("\"" + flag + "\": expected key=value");
      }
      String key = flag.substring(0, eq);
      String value = flag.substring(eq + 1);
      String problem = Labels.checkKey(key);
      if (problem != null) {
        throw new IllegalArgumentException("\"" + key + "\": " + problem);
      }
      problem = Labels.checkValue(value);
      if (problem != null) {
        throw new IllegalArgumentException(key + ": \"" + value + "\": " + problem);
      }
      if (labels.put(key, value) != null) {
        throw new IllegalArgumentException(key + ": given twice");
      }
    }
    return labels;
  }
}
