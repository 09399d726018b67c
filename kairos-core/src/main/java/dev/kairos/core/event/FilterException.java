package dev.kairos.core.event;

/** A filter expression that does not parse: what is wrong, and at which character. */
public final class FilterException extends RuntimeException {
  private final int position;

  public FilterException(String message, int position) {
    super(message + " at character " + (position + 1));
    this.position = position;
  }

  /** Where the problem is, from 0. */
  public int position() {
    return position;
  }
}
