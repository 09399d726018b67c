package dev.kairos.core.cron;

import java.util.BitSet;
import java.util.Locale;
import java.util.Map;

/** One field of a cron expression: its name, range, value names and parsing. */
enum CronField {
  SECOND("second", 0, 59, Map.of()),
  MINUTE("minute", 0, 59, Map.of()),
  HOUR("hour", 0, 23, Map.of()),
  DAY_OF_MONTH("day-of-month", 1, 31, Map.of()),
  MONTH(
      "month",
      1,
      12,
      Map.ofEntries(
          Map.entry("JAN", 1),
          Map.entry("FEB", 2),
          Map.entry("MAR", 3),
          Map.entry("APR", 4),
          Map.entry("MAY", 5),
          Map.entry("JUN", 6),
          Map.entry("JUL", 7),
          Map.entry("AUG", 8),
          Map.entry("SEP", 9),
          Map.entry("OCT", 10),
          Map.entry("NOV", 11),
          Map.entry("DEC", 12))),
  // 7 is accepted as Sunday and folded onto 0
  DAY_OF_WEEK(
      "day-of-week",
      0,
      7,
      Map.of("SUN", 0, "MON", 1, "TUE", 2, "WED", 3, "THU", 4, "FRI", 5, "SAT", 6));

  final String label;
  final int min;
  final int max;
  private final Map<String, Integer> names;

  CronField(String label, int min, int max, Map<String, Integer> names) {
    this.label = label;
    this.min = min;
    this.max = max;
    this.names = names;
  }

  /**
   * Parses one field into the set of values it matches.
   *
   * @throws CronException naming this field, the value and what is allowed
   */
  BitSet parse(String text) {
    BitSet bits = new BitSet(max + 1);
    for (String item : text.split(",", -1)) {
      parseItem(item, bits);
    }
    if (this == DAY_OF_WEEK && bits.get(7)) {
      bits.clear(7);
      bits.set(0);
    }
    return bits;
  }

  private void parseItem(String item, BitSet bits) {
    if (item.isEmpty()) {
      throw new CronException(label + " has an empty list item in \"" + item + "\"");
    }
    String range = item;
    int step = 1;
    int slash = item.indexOf('/');
    if (slash >= 0) {
      range = item.substring(0, slash);
      step = stepOf(item.substring(slash + 1));
    }
    int from;
    int to;
    if (range.equals("*") || range.equals("?")) {
      if (range.equals("?") && this != DAY_OF_MONTH && this != DAY_OF_WEEK) {
        throw new CronException("\"?\" is only allowed in day-of-month and day-of-week");
      }
      from = min;
      to = this == DAY_OF_WEEK ? 6 : max;
    } else {
      int dash = range.indexOf('-', 1);
      if (dash > 0) {
        from = value(range.substring(0, dash));
        to = value(range.substring(dash + 1));
        if (to < from) {
          throw new CronException(
              label + " range " + range + " is backwards; write the smaller value first");
        }
      } else {
        from = value(range);
        // "a/n" means from a to the end of the range in steps of n
        to = slash >= 0 ? (this == DAY_OF_WEEK ? 6 : max) : from;
      }
    }
    // a long: a step near the int range (59/2147483647) must not wrap around to a negative value
    for (long v = from; v <= to; v += step) {
      bits.set((int) v);
    }
  }

  private int stepOf(String text) {
    int step;
    try {
      step = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new CronException(label + " step \"" + text + "\" is not a number");
    }
    if (step < 1) {
      throw new CronException(label + " step " + step + " must be at least 1");
    }
    return step;
  }

  private int value(String text) {
    Integer named = names.get(text.toUpperCase(Locale.ROOT));
    if (named != null) {
      return named;
    }
    int v;
    try {
      v = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      String hint = names.isEmpty() ? "" : " or a name (" + nameRange() + ")";
      throw new CronException(label + " \"" + text + "\" is not a number" + hint);
    }
    if (v < min || v > max) {
      throw new CronException(label + " " + v + " is out of range " + min + "-" + max);
    }
    return v;
  }

  private String nameRange() {
    return this == MONTH ? "JAN-DEC" : "SUN-SAT";
  }
}
