package dev.kairos.server.api;

import dev.kairos.server.auth.Namespaces;
import dev.kairos.server.events.CloudEvents;
import dev.kairos.server.loop.Signal;
import dev.kairos.store.EventIntake;
import dev.kairos.store.NewEvent;
import dev.kairos.store.Store;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.List;

/**
 * {@code POST /api/v1/events}: an event in CloudEvents form, structured ({@code {"type", "source",
 * "id", "data"}} as JSON) or binary ({@code ce-type}, {@code ce-source}, {@code ce-id} headers, the
 * body as data). It is stored, with the runs it starts, before the answer: 202 means nothing is
 * lost. The same source and id again answers 202 with {@code duplicate: true} and starts nothing.
 */
public final class EventsApi implements Routes {
  private final Store store;
  private final Clock clock;
  private final Signal queued;

  public EventsApi(Store store, Clock clock, Signal queued) {
    this.store = store;
    this.clock = clock;
    this.queued = queued;
  }

  record Started(long id, String namespace, String job) {}

  record Received(long eventId, boolean duplicate, List<Started> runs) {}

  @Override
  public void register(RoutesConfig app) {
    app.post("/api/v1/events", this::receive);
  }

  private void receive(Context ctx) {
    NewEvent event;
    try {
      event = CloudEvents.read(ctx.bodyAsBytes(), ctx.contentType(), ctx::header, null);
    } catch (CloudEvents.BadEvent e) {
      throw ApiException.badRequest(e.errors());
    }
    List<String> namespaces = Namespaces.of(ctx);
    if (!namespaces.isEmpty()) {
      // a token limited to namespaces starts the jobs of those only
      event = new NewEvent(event.type(), event.source(), event.id(), event.dataJson(), namespaces);
    }
    EventIntake intake = store.receiveEvent(event, clock.instant());
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
}
