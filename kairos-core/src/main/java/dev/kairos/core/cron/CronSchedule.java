package dev.kairos.core.cron;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A parsed cron expression, evaluated in a time zone with well-defined daylight-saving behaviour:
 *
 * <ul>
 *   <li>A local time that occurs twice (fall-back overlap) fires once, at its first occurrence.
 *   <li>A local time that does not exist (spring-forward gap) fires at the first valid instant
 *       after the gap; several matching times inside one gap fire once there. No day is lost.
 * </ul>
 *
 * Field semantics follow Vixie cron: when both day-of-month and day-of-week are restricted (do not
 * start with {@code *} or {@code ?}), a day matches if either matches.
 */
public final class CronSchedule {
  /** How far ahead a next fire is looked for (covers Feb 29 across a non-leap century year). */
  private static final int MAX_YEARS = 9;

  private static final Map<String, String> MACROS =
      Map.of(
          "@yearly", "0 0 1 1 *",
          "@annually", "0 0 1 1 *",
          "@monthly", "0 0 1 * *",
          "@weekly", "0 0 * * 0",
          "@daily", "0 0 * * *",
          "@midnight", "0 0 * * *",
          "@hourly", "0 * * * *");

  private final String expression;
  private final BitSet seconds;
  private final BitSet minutes;
  private final BitSet hours;
  private final BitSet daysOfMonth;
  private final BitSet months;
  private final BitSet daysOfWeek;
  private final boolean domStar;
  private final boolean dowStar;

  private CronSchedule(String expression, String[] f) {
    this.expression = expression;
    this.seconds = CronField.SECOND.parse(f[0]);
    this.minutes = CronField.MINUTE.parse(f[1]);
    this.hours = CronField.HOUR.parse(f[2]);
    this.daysOfMonth = CronField.DAY_OF_MONTH.parse(f[3]);
    this.months = CronField.MONTH.parse(f[4]);
    this.daysOfWeek = CronField.DAY_OF_WEEK.parse(f[5]);
    this.domStar = f[3].startsWith("*") || f[3].startsWith("?");
    this.dowStar = f[5].startsWith("*") || f[5].startsWith("?");
  }

  /**
   * Parses a 5-field (minute hour day-of-month month day-of-week) or 6-field (second first)
   * expression, or a macro (@hourly, @daily, @midnight, @weekly, @monthly, @yearly, @annually).
   *
   * @throws CronException naming the field, the bad value and what is allowed
   */
  public static CronSchedule parse(String expression) {
    if (expression == null || expression.isBlank()) {
      throw new CronException("the schedule is empty; use 5 or 6 fields or a macro like @daily");
    }
    String text = expression.trim();
    if (text.startsWith("@")) {
      String macro = MACROS.get(text.toLowerCase(Locale.ROOT));
      if (macro == null) {
        throw new CronException(
            "unknown macro "
                + text
                + "; allowed: @yearly, @annually, @monthly, @weekly, @daily,"
                + " @midnight, @hourly");
      }
      text = macro;
    }
    String[] parts = text.split("\\s+");
    String[] fields;
    if (parts.length == 5) {
      fields = new String[] {"0", parts[0], parts[1], parts[2], parts[3], parts[4]};
    } else if (parts.length == 6) {
      fields = parts;
    } else {
      throw new CronException(
          "expected 5 fields (minute hour day-of-month month day-of-week) or 6 (with seconds"
              + " first), got "
              + parts.length);
    }
    CronSchedule schedule = new CronSchedule(expression.trim(), fields);
    if (schedule.nextLocal(LocalDateTime.of(2000, 1, 1, 0, 0), 2000 + MAX_YEARS * 3) == null) {
      throw new CronException("it never fires (no date matches its day and month fields)");
    }
    return schedule;
  }

  public String expression() {
    return expression;
  }

  /** The first fire strictly after {@code after}, read in {@code zone}; null if there is none. */
  public Instant nextAfter(Instant after, ZoneId zone) {
    ZoneRules rules = zone.getRules();
    LocalDateTime local =
        LocalDateTime.ofInstant(after, zone).truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
    int lastYear = local.getYear() + MAX_YEARS;
    while (true) {
      LocalDateTime match = nextLocal(local, lastYear);
      if (match == null) {
        return null;
      }
      Instant fire = toInstant(match, rules);
      if (fire.isAfter(after)) {
        return fire;
      }
      // the first occurrence of a repeated local time is already past: keep looking
      local = match.plusSeconds(1);
    }
  }

  /** Maps a local fire time to its instant under the DST rules above. */
  private static Instant toInstant(LocalDateTime local, ZoneRules rules) {
    List<ZoneOffset> offsets = rules.getValidOffsets(local);
    if (offsets.isEmpty()) {
      ZoneOffsetTransition gap = rules.getTransition(local);
      return gap.getInstant();
    }
    // one offset, or two in an overlap: the earlier offset is the first occurrence
    return local.toInstant(offsets.get(0));
  }

  /** The first local date-time at or after {@code from} that matches, or null before lastYear. */
  LocalDateTime nextLocal(LocalDateTime from, int lastYear) {
    LocalDateTime t = from;
    while (t.getYear() <= lastYear) {
      if (!months.get(t.getMonthValue())) {
        t = t.toLocalDate().withDayOfMonth(1).plusMonths(1).atStartOfDay();
        continue;
      }
      if (!dayMatches(t.toLocalDate())) {
        t = t.toLocalDate().plusDays(1).atStartOfDay();
        continue;
      }
      LocalTime time = nextTime(t.toLocalTime());
      if (time == null) {
        t = t.toLocalDate().plusDays(1).atStartOfDay();
        continue;
      }
      return t.toLocalDate().atTime(time);
    }
    return null;
  }

  /** The first matching time of day at or after {@code from}, or null if none is left today. */
  private LocalTime nextTime(LocalTime from) {
    for (int h = hours.nextSetBit(from.getHour()); h >= 0; h = hours.nextSetBit(h + 1)) {
      int minuteFrom = h == from.getHour() ? from.getMinute() : 0;
      for (int m = minutes.nextSetBit(minuteFrom); m >= 0; m = minutes.nextSetBit(m + 1)) {
        int secondFrom = h == from.getHour() && m == from.getMinute() ? from.getSecond() : 0;
        int s = seconds.nextSetBit(secondFrom);
        if (s >= 0) {
          return LocalTime.of(h, m, s);
        }
      }
    }
    return null;
  }

  private boolean dayMatches(LocalDate date) {
    boolean dom = daysOfMonth.get(date.getDayOfMonth());
    boolean dow = daysOfWeek.get(date.getDayOfWeek().getValue() % 7);
    if (domStar && dowStar) {
      return true;
    }
    if (domStar) {
      return dow;
    }
    if (dowStar) {
      return dom;
    }
    return dom || dow;
  }

  @Override
  public String toString() {
    return expression;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CronSchedule c && c.expression.equals(expression);
  }

  @Override
  public int hashCode() {
    return expression.hashCode();
  }
}
