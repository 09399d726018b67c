package dev.kairos.core.spec;

import java.util.regex.Pattern;

/** Kubernetes resource quantities: cpu in cores or millicores, memory in bytes with a suffix. */
public final class Quantities {
  private static final Pattern CPU = Pattern.compile("(\\d+(\\.\\d+)?|\\.\\d+)|\\d+m");
  private static final Pattern MEMORY =
      Pattern.compile("(\\d+(\\.\\d+)?)(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?");

  private Quantities() {}

  /** Null if {@code text} is a valid cpu quantity, else what is allowed. */
  public static String checkCpu(String text) {
    return CPU.matcher(text).matches() && millicores(text) > 0
        ? null
        : "not a cpu quantity; use cores (1, 0.5, 2) or millicores (500m), greater than 0";
  }

  /** Null if {@code text} is a valid memory quantity, else what is allowed. */
  public static String checkMemory(String text) {
    return MEMORY.matcher(text).matches() && bytes(text) > 0
        ? null
        : "not a memory quantity; use bytes with an optional suffix: 512Mi, 1Gi, 1G, 1000000";
  }

  /**
   * Null if {@code text} is a valid cpu quantity or zero ({@code 0}, {@code 0m}): what is left free
   * of a worker's cpu, where none is an answer. Else what is allowed.
   */
  public static String checkCpuOrZero(String text) {
    return CPU.matcher(text).matches()
        ? null
        : "not a cpu quantity; use cores (1, 0.5, 0) or millicores (500m, 0m)";
  }

  /** Null if {@code text} is a valid memory quantity or zero ({@code 0}, {@code 0Mi}), else why. */
  public static String checkMemoryOrZero(String text) {
    return MEMORY.matcher(text).matches()
        ? null
        : "not a memory quantity; use bytes with an optional suffix: 512Mi, 1Gi, 1G, 0";
  }

  /** A cpu quantity in millicores. */
  public static long millicores(String text) {
    if (text.endsWith("m")) {
      return Long.parseLong(text.substring(0, text.length() - 1));
    }
    return Math.round(Double.parseDouble(text) * 1000);
  }

  /** A memory quantity in bytes. */
  public static long bytes(String text) {
    var m = MEMORY.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException("not a memory quantity: " + text);
    }
    double n = Double.parseDouble(m.group(1));
    String suffix = m.group(3) == null ? "" : m.group(3);
    long factor =
        switch (suffix) {
          case "Ki" -> 1L << 10;
          case "Mi" -> 1L << 20;
          case "Gi" -> 1L << 30;
          case "Ti" -> 1L << 40;
          case "Pi" -> 1L << 50;
          case "Ei" -> 1L << 60;
          case "k" -> 1_000L;
          case "M" -> 1_000_000L;
          case "G" -> 1_000_000_000L;
          case "T" -> 1_000_000_000_000L;
          case "P" -> 1_000_000_000_000_000L;
          case "E" -> 1_000_000_000_000_000_000L;
          default -> 1L;
        };
    return Math.round(n * factor);
  }
}
