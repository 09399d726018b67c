package dev.kairos.core.spec;

import java.util.List;
import java.util.stream.Collectors;

/** Input was rejected; carries every problem found, not only the first. */
public final class ValidationException extends RuntimeException {
  private final List<FieldError> errors;

  public ValidationException(List<FieldError> errors) {
    super(errors.stream().map(FieldError::toString).collect(Collectors.joining("; ")));
    this.errors = List.copyOf(errors);
  }

  public ValidationException(String path, String value, String message) {
    this(List.of(new FieldError(path, value, message)));
  }

  public List<FieldError> errors() {
    return errors;
  }
}
