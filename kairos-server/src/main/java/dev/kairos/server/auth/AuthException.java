package dev.kairos.server.auth;

/** A request without a valid token (401) or with a token lacking the needed role (403). */
public final class AuthException extends RuntimeException {
  private final int status;

  public AuthException(int status, String message) {
    super(message);
    this.status = status;
  }

  public int status() {
    return status;
  }
}
