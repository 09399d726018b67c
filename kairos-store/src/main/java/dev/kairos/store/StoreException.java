package dev.kairos.store;

/** A store operation failed for a reason that is not the caller's input (database down, I/O). */
public class StoreException extends RuntimeException {
  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
