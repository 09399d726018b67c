package dev.kairos.worker.http;

/** A worker-protocol call failed: no server reachable, or the server refused the request. */
public final class WorkerProtocolException extends RuntimeException {
  private final int status;

  public WorkerProtocolException(String message) {
    this(message, 0);
  }

  /**
   * @param status the HTTP status the server refused the request with; 0 when none answered
   */
  public WorkerProtocolException(String message, int status) {
    super(message);
    this.status = status;
  }

  /** The HTTP status the server refused the request with; 0 when none answered. */
  public int status() {
    return status;
  }
}
