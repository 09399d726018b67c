package dev.kairos.core.tls;

/**
 * A PEM file that cannot be used: its message names the file and says what is wrong with it, in
 * words an operator can act on (never a stack trace).
 */
public final class PemException extends RuntimeException {
  public PemException(String source, String problem) {
    super(source + ": " + problem);
  }

  public PemException(String source, String problem, Throwable cause) {
    super(source + ": " + problem, cause);
  }
}
