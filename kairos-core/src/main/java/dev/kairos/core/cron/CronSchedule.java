package dev.kairos.core.cron;

import java.time.Instant;
import java.time.ZoneId;

/** A parsed cron expression. (Implementation in progress: see the core issue.) */
public final class CronSchedule {
  private CronSchedule() {}

  /**
   * Parses a 5-field (minute hour day-of-month month day-of-week) or 6-field (second first)
   * expression, or a macro (@hourly, @daily, @midnight, @weekly, @monthly, @yearly, @annually).
   *
   * @throws CronException naming the field, the bad value and what is allowed
   */
  public static CronSchedule parse(String expression) {
    throw new UnsupportedOperationException("not yet");
  }

  /** The first fire strictly after {@code after}, read in {@code zone}; null if there is none. */
  public Instant nextAfter(Instant after, ZoneId zone) {
    throw new UnsupportedOperationException("not yet");
  }
}
