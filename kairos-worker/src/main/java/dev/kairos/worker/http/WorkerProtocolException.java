package dev.kairos.worker.http;

/** A worker-protocol call failed: no server reachable, or the server refused the request. */
public final class WorkerProtocolException extends RuntimeException {
  private final boolean refused;
  private final int status;

  public WorkerProtocolException(String message) {
    this(message, 0);
  }

  /**
   * @param refused the server refused what the request carried (400, 409, 413 or 422): sending the
   *     same again would be refused again, whichever replica gets it
   */
  public WorkerProtocolException(String message, boolean refused) {
    super(message);
    this.refused = refused;
    this.status = 0;
  }

  /**
   * A call the server answered with {@code status} (a 4xx): refused when it is 400, 409, 413 or
   * 422; 0 when no server answered.
   */
  public WorkerProtocolException(String message, int status) {
    super(message);
    this.refused = status == 400 || status == 409 || status == 413 || status == 422;
    this.status = status;
  }

  /** The HTTP status the server answered with, or 0 when none answered. */
  public int status() {
    return status;
  }

  /** Whether the server refused what the request carried, so that it must not be sent again. */
  public boolean refused() {
    return refused;
  }
}
