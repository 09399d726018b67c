package dev.kairos.core.protocol;

/**
 * A worker-protocol call the server refused for what it carried (a lease the worker does not hold,
 * output of another worker's attempt): sending the same again would be refused again, so the worker
 * drops it. Thrown in process by the server's side of the protocol; over HTTP it is a 409.
 */
public class RefusedException extends RuntimeException {
  public RefusedException(String message) {
    super(message);
  }
}
