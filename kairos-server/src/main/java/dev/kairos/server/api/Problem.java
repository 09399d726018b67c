package dev.kairos.server.api;

import dev.kairos.core.spec.FieldError;
import java.util.List;

/**
 * An RFC 9457 problem detail, the body of every error response.
 *
 * @param type a URI naming the kind of problem ({@code about:blank} when the status says it all)
 * @param title short summary of the kind of problem
 * @param status the HTTP status
 * @param detail what went wrong this time, for people
 * @param errors for invalid input: every problem with its field path, value and what is allowed
 */
public record Problem(
    String type, String title, int status, String detail, List<FieldError> errors) {
  public static final String MEDIA_TYPE = "application/problem+json";
}
