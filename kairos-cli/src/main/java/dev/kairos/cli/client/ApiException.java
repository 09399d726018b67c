package dev.kairos.cli.client;

import java.util.List;

/** The server answered with an error (problem+json): its status, detail and field errors. */
public final class ApiException extends RuntimeException {
  private final int status;
  private final List<String> errors;

  public ApiException(int status, String detail, List<String> errors) {
    super(detail);
    this.status = status;
    this.errors = List.copyOf(errors);
  }

  public int status() {
    return status;
  }

  /** One line per field error: {@code path: "value": message}. */
  public List<String> errors() {
    return errors;
  }
}
