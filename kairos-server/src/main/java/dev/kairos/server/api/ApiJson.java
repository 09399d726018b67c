package dev.kairos.server.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.javalin.http.Context;

/** The API's JSON settings: ISO-8601 instants, unknown request fields rejected. */
public final class ApiJson {
  private static final ObjectMapper BODIES = mapper();

  private ApiJson() {}

  /**
   * The request's body read as {@code type}, or null when it is JSON {@code null}; a body that is
   * not JSON of that shape throws (a 400). Javalin's bodyAsClass throws a NullPointerException for
   * {@code null} instead, which was a 500.
   */
  static <T> T body(Context ctx, Class<T> type) throws JsonProcessingException {
    return read(ctx.body(), type);
  }

  /** As {@link #body}, from the body's text. */
  static <T> T read(String body, Class<T> type) throws JsonProcessingException {
    return BODIES.readValue(body, type);
  }

  public static ObjectMapper mapper() {
    return new ObjectMapper()
        .registerModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  }
}
