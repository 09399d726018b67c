package dev.kairos.core.spec;

import dev.kairos.core.time.Saturating;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;

/**
 * {@code spec.deadline}: when a run must have finished. Either a time of day in the job's zone
 * ({@code "06:00"}: the first 06:00 at or after the run's fire time) or a duration after the fire
 * ({@code "2h"}); a run without a fire time (triggered by hand or by an event) counts from its
 * creation. When a run's predicted finish passes its deadline, an {@code slaAtRisk} alert goes out
 * before the deadline is missed.
 *
 * @param timeOfDay the time of day, or null
 * @param afterFire the duration, or null
 */
public record Deadline(LocalTime timeOfDay, Duration afterFire) {
  public Deadline {
    if ((timeOfDay == null) == (afterFire == null)) {
      throw new IllegalArgumentException("a deadline is a time of day or a duration");
    }
  }

  /**
   * Reads {@code "06:00"}, {@code "23:30:15"} or a duration such as {@code "2h"} or {@code "90m"}.
   */
  public static Deadline parse(String text) {
    if (text.contains(":")) {
      try {
        return new Deadline(LocalTime.parse(text), null);
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("is not a time of day (HH:MM or HH:MM:SS)");
      }
    }
    return new Deadline(null, Durations.parseWithin(text, Bounds.SHORTEST, Bounds.LONGEST));
  }

  /** The deadline of a run that counts from {@code start} (its fire time or creation). */
  public Instant of(Instant start, ZoneId zone) {
    if (afterFire != null) {
      return Saturating.plus(start, afterFire);
    }
    ZonedDateTime from = start.atZone(zone);
    // a time that does not exist that day (a DST gap) is moved forward by the gap
    ZonedDateTime candidate = ZonedDateTime.of(from.toLocalDate(), timeOfDay, zone);
    if (candidate.toInstant().isBefore(start)) {
      candidate = ZonedDateTime.of(from.toLocalDate().plusDays(1), timeOfDay, zone);
    }
    return candidate.toInstant();
  }

  @Override
  public String toString() {
    return timeOfDay != null ? timeOfDay.toString() : Durations.format(afterFire);
  }
}
