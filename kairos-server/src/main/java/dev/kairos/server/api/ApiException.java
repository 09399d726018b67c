package dev.kairos.server.api;

import dev.kairos.core.spec.FieldError;
import java.util.List;

/** A client error with its HTTP status, rendered as problem+json. */
public final class ApiException extends RuntimeException {
  private final int status;
  private final String title;
  private final List<FieldError> errors;

  public ApiException(int status, String title, String detail, List<FieldError> errors) {
    super(detail);
    this.status = status;
    this.title = title;
    this.errors = List.copyOf(errors);
  }

  public static ApiException badRequest(String path, String value, String message) {
    FieldError error = new FieldError(path, value, message);
    return new ApiException(400, "Bad request", error.toString(), List.of(error));
  }

  public int status() {
    return status;
  }

  public String title() {
    return title;
  }

  public List<FieldError> errors() {
    return errors;
  }
}
