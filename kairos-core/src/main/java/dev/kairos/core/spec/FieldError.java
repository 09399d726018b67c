package dev.kairos.core.spec;

/**
 * One problem in user input.
 *
 * @param path where, e.g. {@code spec.schedule} or {@code spec.task.shell.env.HOME}
 * @param value the offending value as given (null when the field is missing)
 * @param message what is wrong and what is allowed
 */
public record FieldError(String path, String value, String message) {
  @Override
  public String toString() {
    String where = path == null || path.isEmpty() ? "" : path + ": ";
    return value == null ? where + message : where + "\"" + value + "\": " + message;
  }
}
