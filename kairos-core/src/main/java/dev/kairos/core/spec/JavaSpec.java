package dev.kairos.core.spec;

import java.util.regex.Pattern;

/**
 * A Java handler, run by a worker embedded in an application (kairos-sdk) that registered a {@code
 * TaskHandler} under this name. Such tasks belong in a pool (spec.placement.pool) whose workers
 * have the handler; another worker fails the attempt saying it has no such handler.
 *
 * @param handler the name the handler is registered under
 */
public record JavaSpec(String handler) implements ExecutorSpec {
  /** Handler names: a letter, then letters, digits, {@code .}, {@code _} and {@code -}. */
  public static final Pattern HANDLER = Pattern.compile("[A-Za-z][A-Za-z0-9._-]{0,127}");

  @Override
  public String type() {
    return "java";
  }
}
