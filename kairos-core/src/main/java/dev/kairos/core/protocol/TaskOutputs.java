package dev.kairos.core.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The small outputs a task publishes for its downstream tasks: {@code key=value} pairs. A shell
 * task writes them as lines to the file named by {@code $KAIROS_OUTPUT}; its downstream tasks get
 * each as the environment variable {@code KAIROS_IN_<TASK>_<KEY>} (upper case, {@code -} as {@code
 * _}) and all of them as JSON in the file named by {@code $KAIROS_INPUT}. Never a command line.
 */
public final class TaskOutputs {
  /** Bytes of {@code key=value} text a task may publish. */
  public static final int MAX_BYTES = 16 * 1024;

  private static final Pattern KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");

  private static final ObjectMapper JSON = new ObjectMapper();

  private TaskOutputs() {}

  /**
   * Reads {@code key=value} lines (blank lines and lines starting with {@code #} are skipped; the
   * value is the rest of the line, and a later line replaces an earlier one with the same key).
   *
   * @throws IllegalArgumentException naming the line and what is wrong
   */
  public static Map<String, String> parse(String text) {
    int bytes = text.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_BYTES) {
      throw new IllegalArgumentException(
          String.format(
              "is %,d bytes; a task may publish at most %,d bytes of key=value lines"
                  + " (pass bigger data through storage and publish its location)",
              bytes, MAX_BYTES));
    }
    Map<String, String> outputs = new LinkedHashMap<>();
    String[] lines = text.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int eq = line.indexOf('=');
      String key = eq < 0 ? line : line.substring(0, eq);
      if (eq < 0 || !KEY.matcher(key).matches()) {
        throw new IllegalArgumentException(
            "line "
                + (i + 1)
                + " ("
                + (line.length() > 40 ? line.substring(0, 37) + "..." : line)
                + ") is not key=value with a key of letters, digits and _ (not starting with a"
                + " digit, at most 64)");
      }
      outputs.put(key, line.substring(eq + 1));
    }
    check(outputs);
    return outputs;
  }

  /**
   * Checks outputs however they were made (a worker's report is checked again by the server).
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  /** Whether {@code key} may name an output. */
  public static boolean validKey(String key) {
    return key != null && KEY.matcher(key).matches();
  }

  public static void check(Map<String, String> outputs) {
    int bytes = 0;
    Map<String, String> byEnvName = new HashMap<>();
    for (Map.Entry<String, String> e : outputs.entrySet()) {
      String key = e.getKey();
      if (key == null || !KEY.matcher(key).matches()) {
        throw new IllegalArgumentException(
            "key \"" + key + "\" must be letters, digits and _, not starting with a digit");
      }
      if (e.getValue() == null || e.getValue().indexOf('\n') >= 0) {
        throw new IllegalArgumentException("the value of " + key + " must be one line");
      }
      String other = byEnvName.putIfAbsent(envName(key), key);
      if (other != null) {
        throw new IllegalArgumentException(
            "keys " + other + " and " + key + " differ only by case: they name one variable");
      }
      bytes += (key + "=" + e.getValue() + "\n").getBytes(StandardCharsets.UTF_8).length;
    }
    if (bytes > MAX_BYTES) {
      throw new IllegalArgumentException(
          String.format("are %,d bytes; at most %,d", bytes, MAX_BYTES));
    }
  }

  /** As stored: a JSON object, or null for none. */
  public static String toJson(Map<String, String> outputs) {
    if (outputs.isEmpty()) {
      return null;
    }
    try {
      return JSON.writeValueAsString(new TreeMap<>(outputs));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Outputs stored by {@link #toJson}. */
  public static Map<String, String> fromJson(String json) {
    if (json == null) {
      return Map.of();
    }
    try {
      return JSON.readValue(json, new TypeReference<Map<String, String>>() {});
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored outputs are not a JSON object of strings", e);
    }
  }

  /** The environment variable through which a downstream task reads {@code key} of {@code task}. */
  public static String inputVariable(String task, String key) {
    return "KAIROS_IN_" + envName(task) + "_" + envName(key);
  }

  private static String envName(String name) {
    return name.toUpperCase(Locale.ROOT).replace('-', '_');
  }
}
