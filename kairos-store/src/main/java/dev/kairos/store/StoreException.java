package dev.kairos.store;

/**
 * A store operation failed for a reason that is not the caller's input (database down, I/O, or data
 * the database refused). {@link #isTransient()} says whether trying the same again later may
 * succeed: a lost connection, a deadlock, a timeout or a restarting database may pass; a value out
 * of range or a broken constraint will fail the same way every time.
 */
public class StoreException extends RuntimeException {
  private final boolean transientFailure;

  /** A failure that may pass: the caller may try again later. */
  public StoreException(String message, Throwable cause) {
    this(message, cause, true);
  }

  public StoreException(String message, Throwable cause, boolean transientFailure) {
    super(message, cause);
    this.transientFailure = transientFailure;
  }

  /** Whether trying again later may succeed (see the class comment). */
  public boolean isTransient() {
    return transientFailure;
  }
}
