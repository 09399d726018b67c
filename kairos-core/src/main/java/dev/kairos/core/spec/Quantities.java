package dev.kairos.core.spec;

import java.util.regex.Pattern;

/** Kubernetes resource quantities: cpu in cores or millicores, memory in bytes with a suffix. */
public final class Quantities {
  private static final Pattern CPU = Pattern.compile("(\\d+(\\.\\d+)?|\\.\\d+)|\\d+m");
  private static final Pattern MEMORY =
      Pattern.compile("(\\d+(\\.\\d+)?)(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?");

  /** The largest cpu quantity: 100,000 cores (what a spec, a worker or a poll may say). */
  public static final long CPU_MAX_MILLICORES = 100_000_000L;

  /** The largest memory quantity: 1Pi. Sums of many stay far from overflowing a long. */
  public static final long MEMORY_MAX_BYTES = 1L << 50;

  private static final Pattern BYTE_COUNT = Pattern.compile("(\\d{1,30})(Ki|Mi|Gi|Ti|k|M|G|T)?");

  private static final String CPU_FORMS = "use cores (1, 0.5, 2) or millicores (500m)";
  private static final String MEMORY_FORMS =
      "use bytes with an optional suffix: 512Mi, 1Gi, 1G, 1000000";

  private Quantities() {}

  /** Null if {@code text} is a valid cpu quantity, else what is allowed. */
  public static String checkCpu(String text) {
    return checkCpu(text, false, true);
  }

  /** Null if {@code text} is a valid memory quantity, else what is allowed. */
  public static String checkMemory(String text) {
    return checkMemory(text, false, true);
  }

  /** As {@link #checkCpu(String)}; without {@code bounded}, any size is a quantity. */
  static String checkCpu(String text, boolean bounded) {
    return checkCpu(text, false, bounded);
  }

  /** As {@link #checkMemory(String)}; without {@code bounded}, any size is a quantity. */
  static String checkMemory(String text, boolean bounded) {
    return checkMemory(text, false, bounded);
  }

  /**
   * Null if {@code text} is a valid cpu quantity or zero ({@code 0}, {@code 0m}): what is left free
   * of a worker's cpu, where none is an answer. Else what is allowed.
   */
  public static String checkCpuOrZero(String text) {
    return checkCpu(text, true, true);
  }

  /** Null if {@code text} is a valid memory quantity or zero ({@code 0}, {@code 0Mi}), else why. */
  public static String checkMemoryOrZero(String text) {
    return checkMemory(text, true, true);
  }

  /**
   * Null if {@code text} is a valid {@code limits.pids}: a whole number of processes from 1 to
   * {@link Bounds#PIDS_MAX}; without {@code bounded}, any positive number. Else what is wrong.
   */
  static String checkPids(String text, boolean bounded) {
    if (text == null || !text.matches("-?\\d{1,18}")) {
      return "not a number of processes; use a whole number from 1 to " + Bounds.PIDS_MAX;
    }
    long pids = Long.parseLong(text);
    if (pids < 1) {
      return "is less than the smallest allowed, 1";
    }
    if (bounded && pids > Bounds.PIDS_MAX) {
      return "is more than the largest allowed, " + Bounds.PIDS_MAX;
    }
    return null;
  }

  private static String checkCpu(String text, boolean zeroAllowed, boolean bounded) {
    if (text == null || !CPU.matcher(text).matches()) {
      return "not a cpu quantity; " + CPU_FORMS;
    }
    double millicores =
        text.endsWith("m")
            ? Double.parseDouble(text.substring(0, text.length() - 1))
            : Double.parseDouble(text) * 1000;
    if (!zeroAllowed && Math.round(millicores) <= 0) {
      return "must be greater than 0; " + CPU_FORMS;
    }
    if (bounded && millicores > CPU_MAX_MILLICORES) {
      return "is more than the largest allowed, " + CPU_MAX_MILLICORES / 1000 + " cores";
    }
    return null;
  }

  private static String checkMemory(String text, boolean zeroAllowed, boolean bounded) {
    var m = text == null ? null : MEMORY.matcher(text);
    if (m == null || !m.matches()) {
      return "not a memory quantity; " + MEMORY_FORMS;
    }
    double bytes = Double.parseDouble(m.group(1)) * factor(m.group(3));
    if (!zeroAllowed && Math.round(bytes) <= 0) {
      return "must be greater than 0; " + MEMORY_FORMS;
    }
    if (bounded && bytes > MEMORY_MAX_BYTES) {
      return "is more than the largest allowed, 1Pi";
    }
    return null;
  }

  /**
   * A cpu quantity in millicores; the text must have passed {@link #checkCpu}. One read without the
   * bound (a stored spec) saturates at {@code Long.MAX_VALUE}.
   *
   * @throws IllegalArgumentException if the text is not a cpu quantity
   */
  public static long millicores(String text) {
    if (!CPU.matcher(text).matches()) {
      throw new IllegalArgumentException("not a cpu quantity: " + text);
    }
    if (text.endsWith("m")) {
      return Math.round(Double.parseDouble(text.substring(0, text.length() - 1)));
    }
    return Math.round(Double.parseDouble(text) * 1000);
  }

  /** A memory quantity in bytes. */
  public static long bytes(String text) {
    var m = MEMORY.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException("not a memory quantity: " + text);
    }
    return Math.round(Double.parseDouble(m.group(1)) * factor(m.group(3)));
  }

  /**
   * A whole number of bytes, with an optional suffix ({@code 65536}, {@code 512Ki}, {@code 4Mi},
   * {@code 1M}); -1 when {@code text} is not one, {@link Long#MAX_VALUE} when it is more than a
   * long holds.
   */
  public static long byteCount(String text) {
    var m = text == null ? null : BYTE_COUNT.matcher(text);
    if (m == null || !m.matches()) {
      return -1;
    }
    java.math.BigInteger n =
        new java.math.BigInteger(m.group(1))
            .multiply(java.math.BigInteger.valueOf(factor(m.group(2))));
    return n.bitLength() < 63 ? n.longValue() : Long.MAX_VALUE;
  }

  /** A number of bytes for a message: {@code 1}, {@code 64Mi (67108864 bytes)}. */
  public static String formatBytes(long n) {
    String brief = briefBytes(n);
    return brief.equals(String.valueOf(n)) ? brief : brief + " (" + n + " bytes)";
  }

  /** A number of bytes as a quantity: {@code 1}, {@code 512Ki}, {@code 64Mi}. */
  public static String briefBytes(long n) {
    if (n >= 1 << 20 && n % (1 << 20) == 0) {
      return (n >> 20) + "Mi";
    }
    if (n >= 1 << 10 && n % (1 << 10) == 0) {
      return (n >> 10) + "Ki";
    }
    return String.valueOf(n);
  }

  private static long factor(String suffix) {
    return switch (suffix == null ? "" : suffix) {
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
  }
}
