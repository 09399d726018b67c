package dev.kairos.store;

import dev.kairos.core.protocol.RefusedException;

/** The change cannot be made in the state things are in (the message says why and what to do). */
public class ConflictException extends RefusedException {
  public ConflictException(String message) {
    super(message);
  }
}
