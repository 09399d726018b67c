package dev.kairos.core.protocol;

import dev.kairos.core.spec.FieldError;
import dev.kairos.core.spec.Quantities;
import dev.kairos.core.spec.ValidationException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a worker offers, in the units of a job's {@code resources}: placement by resources compares
 * the two (a later issue); today the server only honours {@code slots}.
 *
 * @param millicores cpu, in thousandths of a core ({@code 2} cores = 2000, {@code 500m} = 500)
 * @param memoryBytes memory in bytes ({@code 4Gi} = 4 * 2^30)
 * @param slots attempts run at once; a poll never asks for, nor gets, more than the free ones
 */
public record Capacity(long millicores, long memoryBytes, int slots) {
  /** More slots than this is a typo, not a machine. */
  public static final int MAX_SLOTS = 100_000;

  private static final List<String> KEYS = List.of("cpu", "memory", "slots");

  public Capacity {
    if (millicores <= 0 || memoryBytes <= 0 || slots < 1 || slots > MAX_SLOTS) {
      throw new IllegalArgumentException(
          "capacity out of range: millicores="
              + millicores
              + " memoryBytes="
              + memoryBytes
              + " slots="
              + slots);
    }
  }

  public Capacity withSlots(int newSlots) {
    return new Capacity(millicores, memoryBytes, newSlots);
  }

  /**
   * Parses the {@code --capacity} syntax, {@code cpu=2,memory=4Gi,slots=16}: cpu in cores or
   * millicores ({@code 500m}), memory as a Kubernetes quantity ({@code 512Mi}, {@code 4Gi}, {@code
   * 1G}), slots a whole number. A key left out keeps its value from {@code defaults}.
   *
   * @throws ValidationException naming every bad key (paths {@code cpu}, {@code memory}, {@code
   *     slots}, or the entry itself when it is not {@code key=value})
   */
  public static Capacity parse(String text, Capacity defaults) {
    Map<String, String> fields = new LinkedHashMap<>();
    List<FieldError> errors = new ArrayList<>();
    for (String entry : text.split(",", -1)) {
      int eq = entry.indexOf('=');
      String key = eq < 0 ? entry.trim() : entry.substring(0, eq).trim();
      if (eq < 0 || !KEYS.contains(key)) {
        errors.add(
            new FieldError(
                entry, null, "expected cpu=..., memory=... or slots=..., comma-separated"));
      } else if (fields.putIfAbsent(key, entry.substring(eq + 1).trim()) != null) {
        errors.add(new FieldError(key, null, "given twice"));
      }
    }
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
    return of(fields.get("cpu"), fields.get("memory"), fields.get("slots"), defaults, "");
  }

  /**
   * Builds a capacity from its quantities as written; a null one is taken from {@code defaults}, or
   * reported missing when there are none.
   *
   * @param path prefix of the field paths in errors, e.g. {@code capacity.} (or empty)
   * @throws ValidationException naming every bad field
   */
  public static Capacity of(
      String cpu, String memory, String slots, Capacity defaults, String path) {
    List<FieldError> errors = new ArrayList<>();
    long millicores = 0;
    long bytes = 0;
    int n = 0;
    if (cpu == null) {
      millicores = defaults == null ? missing(errors, path + "cpu") : defaults.millicores();
    } else if (Quantities.checkCpu(cpu) != null) {
      errors.add(new FieldError(path + "cpu", cpu, Quantities.checkCpu(cpu)));
    } else {
      millicores = Quantities.millicores(cpu);
    }
    if (memory == null) {
      bytes = defaults == null ? missing(errors, path + "memory") : defaults.memoryBytes();
    } else if (Quantities.checkMemory(memory) != null) {
      errors.add(new FieldError(path + "memory", memory, Quantities.checkMemory(memory)));
    } else {
      bytes = Quantities.bytes(memory);
    }
    if (slots == null) {
      n = defaults == null ? (int) missing(errors, path + "slots") : defaults.slots();
    } else {
      n = slots(slots, path + "slots", errors);
    }
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
    return new Capacity(millicores, bytes, n);
  }

  private static long missing(List<FieldError> errors, String path) {
    errors.add(new FieldError(path, null, "is required"));
    return 0;
  }

  private static int slots(String text, String path, List<FieldError> errors) {
    try {
      int n = Integer.parseInt(text);
      if (n >= 1 && n <= MAX_SLOTS) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below, with what is allowed
    }
    errors.add(new FieldError(path, text, "must be a whole number from 1 to " + MAX_SLOTS));
    return 0;
  }

  /** Cpu as a Kubernetes quantity: whole cores ({@code 2}) when exact, else millicores. */
  public String cpu() {
    return formatCpu(millicores);
  }

  /** Memory as a Kubernetes quantity: the largest binary suffix that divides it exactly. */
  public String memory() {
    return formatMemory(memoryBytes);
  }

  static String formatCpu(long millicores) {
    return millicores % 1000 == 0 ? String.valueOf(millicores / 1000) : millicores + "m";
  }

  static String formatMemory(long bytes) {
    if (bytes == 0) {
      return "0";
    }
    String[] suffixes = {"Ei", "Pi", "Ti", "Gi", "Mi", "Ki"};
    for (int i = 0; i < suffixes.length; i++) {
      long unit = 1L << (10 * (6 - i));
      if (bytes % unit == 0) {
        return bytes / unit + suffixes[i];
      }
    }
    return String.valueOf(bytes);
  }

  /** The {@code --capacity} syntax, which {@link #parse} reads back. */
  @Override
  public String toString() {
    return "cpu=" + cpu() + ",memory=" + memory() + ",slots=" + slots;
  }
}
