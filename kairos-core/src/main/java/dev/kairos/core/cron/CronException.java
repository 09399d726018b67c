package dev.kairos.core.cron;

/** A cron expression is invalid; the message says which field, the value and the allowed range. */
public final class CronException extends IllegalArgumentException {
  public CronException(String message) {
    super(message);
  }
}
