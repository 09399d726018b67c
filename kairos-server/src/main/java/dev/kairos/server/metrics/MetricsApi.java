package dev.kairos.server.metrics;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /metrics} in the Prometheus text format, and the timing of every HTTP request this
 * replica serves ({@code http_server_requests_seconds}, labelled by method, route template and
 * status: never by a raw path, which would carry run ids).
 */
public final class MetricsApi {
  private static final String STARTED = "kairos.requestStarted";
  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final ServerMetrics metrics;
  private final StoreGauges gauges;

  public MetricsApi(ServerMetrics metrics, StoreGauges gauges) {
    this.metrics = metrics;
    this.gauges = gauges;
  }

  /**
   * Routes {@code GET /metrics} (authorized by the caller's {@code before} handler) and times
   * requests.
   */
  public void register(RoutesConfig app) {
    app.before(ctx -> ctx.attribute(STARTED, System.nanoTime()));
    app.after(this::timed);
    app.get("/metrics", this::scrape);
  }

  private void scrape(Context ctx) {
    gauges.refreshIfStale();
    ctx.contentType(PROMETHEUS_TEXT).result(metrics.scrape());
  }

  private void timed(Context ctx) {
    Long started = ctx.attribute(STARTED);
    if (started == null) {
      return;
    }
    // set before any handler runs, as the server has a beforeMatched handler (its authorization)
    Endpoint matched = ctx.endpoints().matchedHttpEndpoint();
    Timer.builder("http.server.requests")
        .description("HTTP requests served by this replica")
        .tags(
            "method", ctx.method().name(),
            "route", matched == null ? "unmatched" : matched.path,
            "status", Integer.toString(ctx.statusCode()))
        .register(metrics.registry())
        .record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
  }
}
