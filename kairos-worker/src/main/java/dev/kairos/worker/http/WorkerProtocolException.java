package dev.kairos.worker.http;

/** A worker-protocol call failed: no server reachable, or the server refused the request. */
public final class WorkerProtocolException extends RuntimeException {
  public WorkerProtocolException(String message) {
    super(message);
  }
}
