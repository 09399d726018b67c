package dev.kairos.worker.http;

/** A worker-protocol call failed: no server reachable, or the server refused the request. */
public final class WorkerProtocolException extends RuntimeException {
  private final boolean refused;

  public WorkerProtocolException(String message) {
    this(message, false);
  }

  /**
   * @param refused the server refused what the request carried (400, 409, 413 or 422): sending the
   *     same again would be refused again, whichever replica gets it
   */
  public WorkerProtocolException(String message, boolean refused) {
    super(message);
    this.refused = refused;
  }

  /** Whether the server refused what the request carried, so that it must not be sent again. */
  public boolean refused() {
    return refused;
  }
}
