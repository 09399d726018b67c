package dev.kairos.store;

/** The change cannot be made in the state things are in (the message says why and what to do). */
public class ConflictException extends RuntimeException {
  public ConflictException(String message) {
    super(message);
  }
}
