package dev.kairos.worker.secrets;

import dev.kairos.core.spec.HttpSpec;
import dev.kairos.core.spec.Quantities;
import dev.kairos.core.spec.SecretEnv;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * A task's secrets (a shell task's secret variables, an http task's secret headers), resolved on
 * the worker when the attempt starts, and the mask that hides their values in what the task logs.
 */
public final class Secrets {
  /**
   * The most of a secret file read: 128 KiB, the most Linux passes in one environment variable
   * (MAX_ARG_STRLEN); a longer value could not start the process anyway, and a file without end
   * ({@code /dev/zero}) was read until the worker ran out of memory.
   */
  static final int MAX_VALUE_BYTES = 128 * 1024;

  /** Shown instead of a secret's value. */
  static final String MASK = "***";

  /** What the values become, which decides what they may hold and how an error names one. */
  public enum Target {
    /** Environment variables of a shell task's process. */
    VARIABLE("secret ", "a variable holds at most that"),
    /** Request headers of an http task. */
    HEADER("secret header ", "a secret holds at most that");

    private final String label;
    private final String tooLong;

    Target(String label, String tooLong) {
      this.label = label;
      this.tooLong = tooLong;
    }

    /** Why {@code value} cannot be used, or null; never quotes the value. */
    private String problem(String value) {
      return switch (this) {
        // ProcessBuilder would refuse a NUL with the whole value in its message
        case VARIABLE ->
            value.indexOf('\0') >= 0
                ? "holds a NUL byte, which no environment variable can hold"
                : null;
        // a line break would end the header and let the value add headers of its own; the HTTP
        // client would refuse it, and other control characters, with the value in its message
        case HEADER -> HttpSpec.headerValueProblem(value);
      };
    }
  }

  private final Map<String, String> values;
  private final List<String> masked;

  private Secrets(Map<String, String> values) {
    this.values = Map.copyOf(values);
    // the longest first, so that a secret containing another is hidden whole; blank values hide
    // nothing
    this.masked =
        values.values().stream()
            .filter(v -> !v.isBlank())
            .flatMap(Secrets::forms)
            .distinct()
            .sorted(Comparator.comparingInt(String::length).reversed())
            .toList();
  }

  /**
   * The forms of a value that a task may print: as it is, in base64 (standard and URL-safe, with
   * and without padding, as {@code base64} or a JWT would write it) and URL-encoded (as in a query
   * string). Encodings of values shorter than 4 characters are left alone: they are too short not
   * to hide ordinary text.
   */
  static Stream<String> forms(String value) {
    if (value.length() < 4) {
      return Stream.of(value);
    }
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    String b64 = Base64.getEncoder().encodeToString(bytes);
    String url = Base64.getUrlEncoder().encodeToString(bytes);
    return Stream.of(
            value,
            b64,
            stripPadding(b64),
            url,
            stripPadding(url),
            URLEncoder.encode(value, StandardCharsets.UTF_8),
            URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20"))
        .distinct();
  }

  private static String stripPadding(String b64) {
    int end = b64.length();
    while (end > 0 && b64.charAt(end - 1) == '=') {
      end--;
    }
    return b64.substring(0, end);
  }

  /** Thrown when a secret cannot be read; its message names the secret, never a value. */
  public static final class Unresolved extends Exception {
    Unresolved(String message) {
      super(message);
    }
  }

  /**
   * Reads each secret from its source: the spec, a file on this machine, or a variable of this
   * worker's environment that it passes to tasks ({@code env}: null for one it does not pass).
   *
   * @param target what the values become (what an error calls them, what they may hold)
   */
  public static Secrets resolve(
      Map<String, SecretEnv> secrets, UnaryOperator<String> env, Target target) throws Unresolved {
    Map<String, String> values = new LinkedHashMap<>();
    for (Map.Entry<String, SecretEnv> e : secrets.entrySet()) {
      String name = target.label + e.getKey();
      SecretEnv s = e.getValue();
      String value;
      if (s.value() != null) {
        value = s.value();
      } else if (s.fromFile() != null) {
        value = fromFile(name, s.fromFile(), target);
      } else {
        value = env.apply(s.fromEnv());
        if (value == null) {
          throw new Unresolved(
              name
                  + ": this worker does not pass the environment variable "
                  + s.fromEnv()
                  + " to tasks (it must have it and be started with --pass-env "
                  + s.fromEnv()
                  + ")");
        }
      }
      String problem = target.problem(value);
      if (problem != null) {
        throw new Unresolved(name + ": its value " + problem);
      }
      values.put(e.getKey(), value);
    }
    return new Secrets(values);
  }

  /** A secret file's text, without a final line break; at most {@link #MAX_VALUE_BYTES}. */
  private static String fromFile(String name, String file, Target target) throws Unresolved {
    byte[] bytes;
    try (InputStream in = Files.newInputStream(Path.of(file))) {
      bytes = in.readNBytes(MAX_VALUE_BYTES + 1);
    } catch (IOException ex) {
      throw new Unresolved(
          name
              + ": cannot read "
              + file
              + " on this worker ("
              + ex.getClass().getSimpleName()
              + ")");
    }
    if (bytes.length > MAX_VALUE_BYTES) {
      throw new Unresolved(
          name
              + ": "
              + file
              + " is more than "
              + Quantities.formatBytes(MAX_VALUE_BYTES)
              + " on this worker; "
              + target.tooLong);
    }
    String value = new String(bytes, StandardCharsets.UTF_8);
    return value.endsWith("\n") ? value.substring(0, value.length() - 1) : value;
  }

  /** The resolved values by name: the variables to set, the headers to send. */
  public Map<String, String> values() {
    return values;
  }

  /** The length of the longest value {@link #mask} hides; 0 when it hides none. */
  public int longest() {
    return masked.isEmpty() ? 0 : masked.get(0).length();
  }

  /** The line with every secret value replaced by {@value #MASK}. */
  public String mask(String line) {
    String out = line;
    for (String secret : masked) {
      if (out.contains(secret)) {
        out = out.replace(secret, MASK);
      }
    }
    return out;
  }
}
