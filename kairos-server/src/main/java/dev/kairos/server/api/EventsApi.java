package dev.kairos.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kairos.core.spec.FieldError;
import dev.kairos.server.loop.Signal;
import dev.kairos.store.EventIntake;
import dev.kairos.store.NewEvent;
import dev.kairos.store.Store;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code POST /api/v1/events}: an event in CloudEvents form, structured ({@code {"type", "source",
 * "id", "data"}} as JSON) or binary ({@code ce-type}, {@code ce-source}, {@code ce-id} headers, the
 * body as data). It is stored, with the runs it starts, before the answer: 202 means nothing is
 * lost. The same source and id again answers 202 with {@code duplicate: true} and starts nothing.
 */
public final class EventsApi implements Routes {
  private static final int MAX_TYPE = 200;
  private static final int MAX_SOURCE = 500;
  private static final int MAX_ID = 200;

  private final Store store;
  private final Clock clock;
  private final ObjectMapper mapper;
  private final Signal queued;

  public EventsApi(Store store, Clock clock, ObjectMapper mapper, Signal queued) {
    this.store = store;
    this.clock = clock;
    this.mapper = mapper;
    this.queued = queued;
  }

  record Started(long id, String namespace, String job) {}

  record Received(long eventId, boolean duplicate, List<Started> runs) {}

  @Override
  public void register(Javalin app) {
    app.post("/api/v1/events", this::receive);
  }

  private void receive(Context ctx) {
    NewEvent event = ctx.header("ce-type") != null ? binary(ctx) : structured(ctx);
    EventIntake intake;
    try {
      intake = store.receiveEvent(event, clock.instant());
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("data", null, "must be JSON");
    }
    if (!intake.runs().isEmpty()) {
      queued.signal();
    }
    ctx.status(202)
        .json(
            new Received(
                intake.eventId(),
                intake.duplicate(),
                intake.runs().stream()
                    .map(r -> new Started(r.id(), r.job().namespace(), r.job().name()))
                    .toList()));
  }

  private NewEvent structured(Context ctx) {
    JsonNode body;
    try {
      body = mapper.readTree(ctx.body());
    } catch (IOException e) {
      throw ApiException.badRequest("body", null, "must be a JSON object {type, source, id, data}");
    }
    if (body == null || !body.isObject()) {
      throw ApiException.badRequest("body", null, "must be a JSON object {type, source, id, data}");
    }
    JsonNode data = body.get("data");
    return checked(
        text(body, "type"),
        text(body, "source"),
        text(body, "id"),
        data == null || data.isNull() ? null : data.toString(),
        "");
  }

  private NewEvent binary(Context ctx) {
    String type = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(Locale.ROOT);
    String body = ctx.body();
    String data;
    if (body.isEmpty()) {
      data = null;
    } else if (type.contains("json")) {
      data = body;
    } else {
      // text data becomes a JSON string
      data = mapper.getNodeFactory().textNode(body).toString();
    }
    return checked(
        ctx.header("ce-type"), ctx.header("ce-source"), ctx.header("ce-id"), data, "header ce-");
  }

  private static String text(JsonNode body, String field) {
    JsonNode v = body.get(field);
    return v == null || !v.isTextual() ? null : v.asText();
  }

  /** Every field problem at once; {@code prefix} names the header form. */
  private static NewEvent checked(
      String type, String source, String id, String data, String prefix) {
    List<FieldError> errors = new ArrayList<>();
    check(errors, prefix + "type", type, MAX_TYPE);
    check(errors, prefix + "source", source, MAX_SOURCE);
    check(errors, prefix + "id", id, MAX_ID);
    if (!errors.isEmpty()) {
      throw ApiException.badRequest(errors);
    }
    return new NewEvent(type, source, id, data);
  }

  private static void check(List<FieldError> errors, String field, String value, int max) {
    if (value == null || value.isBlank()) {
      errors.add(new FieldError(field, value, "is required (a text)"));
    } else if (value.length() > max || value.chars().anyMatch(Character::isISOControl)) {
      errors.add(
          new FieldError(
              field,
              value.length() > 50 ? value.substring(0, 50) + "…" : value,
              "must be 1 to " + max + " characters without control characters"));
    }
  }
}
