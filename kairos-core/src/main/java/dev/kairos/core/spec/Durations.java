package dev.kairos.core.spec;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people write them: Go style ({@code 500ms}, {@code 90s}, {@code 5m}, {@code 1h30m},
 * {@code 2d}) or ISO-8601 ({@code PT5M}).
 */
public final class Durations {
  private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h|d)");

  /**
   * What {@link #parse} gives for a duration longer than a long of milliseconds can hold (negated
   * for a negative one): every field has a far smaller largest value, and reports it, so the exact
   * length does not matter.
   */
  static final Duration BEYOND = Duration.ofMillis(Long.MAX_VALUE / 2);

  private Durations() {}

  /**
   * Parses a duration and checks it against a field's range.
   *
   * @throws IllegalArgumentException with a message that says what is allowed, e.g. "is more than
   *     the largest allowed, 365d"
   */
  public static Duration parseWithin(String text, Duration min, Duration max) {
    Duration d = parse(text);
    String problem = check(d, min, max);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    return d;
  }

  /** Null when {@code d} is within [min, max], else what is wrong. */
  public static String check(Duration d, Duration min, Duration max) {
    if (d.compareTo(min) < 0) {
      if (min.isZero()) {
        return "must not be negative";
      }
      if (!d.isPositive() && min.equals(Duration.ofMillis(1))) {
        return "must be positive";
      }
      return "is less than the smallest allowed, " + format(min);
    }
    if (d.compareTo(max) > 0) {
      return "is more than the largest allowed, " + format(max);
    }
    return null;
  }

  /**
   * Parses a duration.
   *
   * @throws IllegalArgumentException with a message saying what is allowed
   */
  public static Duration parse(String text) {
    String s = text == null ? "" : text.trim();
    if (s.startsWith("P") || s.startsWith("p")) {
      try {
        Duration d = Duration.parse(s.toUpperCase(java.util.Locale.ROOT));
        if (d.compareTo(BEYOND) > 0 || d.compareTo(BEYOND.negated()) < 0) {
          return d.isNegative() ? BEYOND.negated() : BEYOND;
        }
        // whole milliseconds, rounded as the short forms are: format() writes no finer unit, and
        // a spec must read back as itself
        return Duration.ofMillis(d.toMillis() + (d.getNano() % 1_000_000 >= 500_000 ? 1 : 0));
      } catch (DateTimeParseException | ArithmeticException e) {
        throw invalid();
      }
    }
    Matcher m = PART.matcher(s);
    int end = 0;
    double millis = 0;
    while (m.find() && m.start() == end) {
      double n = Double.parseDouble(m.group(1));
      millis +=
          switch (m.group(2)) {
            case "ms" -> n;
            case "s" -> n * 1_000;
            case "m" -> n * 60_000;
            case "h" -> n * 3_600_000;
            default -> n * 86_400_000;
          };
      end = m.end();
    }
    if (end == 0 || end != s.length()) {
      throw invalid();
    }
    return millis >= BEYOND.toMillis() ? BEYOND : Duration.ofMillis(Math.round(millis));
  }

  private static IllegalArgumentException invalid() {
    return new IllegalArgumentException(
        "not a duration; use e.g. 500ms, 30s, 5m, 1h30m, 2d or ISO-8601 like PT5M");
  }

  /** Formats compactly, e.g. {@code 1h30m}, {@code 2.5s}, {@code 250ms}; inverse of parse. */
  public static String format(Duration d) {
    long millis = d.toMillis();
    if (millis == 0) {
      return "0s";
    }
    StringBuilder sb = new StringBuilder();
    if (millis < 0) {
      sb.append('-');
      millis = -millis;
    }
    long days = millis / 86_400_000;
    long hours = millis / 3_600_000 % 24;
    long minutes = millis / 60_000 % 60;
    long seconds = millis / 1_000 % 60;
    long ms = millis % 1_000;
    if (days > 0) {
      sb.append(days).append('d');
    }
    if (hours > 0) {
      sb.append(hours).append('h');
    }
    if (minutes > 0) {
      sb.append(minutes).append('m');
    }
    if (seconds > 0 || (ms > 0 && sb.length() > 0 && sb.charAt(sb.length() - 1) != '-')) {
      if (ms > 0) {
        sb.append(seconds).append('.').append(String.format("%03d", ms).replaceAll("0+$", ""));
      } else {
        sb.append(seconds);
      }
      sb.append('s');
    } else if (ms > 0) {
      sb.append(ms).append("ms");
    }
    return sb.toString();
  }
}
