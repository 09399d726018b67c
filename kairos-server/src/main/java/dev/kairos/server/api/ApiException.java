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
    return badRequest(List.of(new FieldError(path, value, message)));
  }

  /** A 400 naming every bad field. */
  public static ApiException badRequest(List<FieldError> errors) {
    String detail = String.join("; ", errors.stream().map(FieldError::toString).toList());
    return new ApiException(400, "Bad request", detail, errors);
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
