package dev.kairos.server.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.kairos.core.spec.Durations;
import dev.kairos.core.spec.FieldError;
import dev.kairos.core.spec.Names;
import dev.kairos.server.auth.Namespaces;
import dev.kairos.server.pools.PoolStatus;
import dev.kairos.store.DispatchOrder;
import dev.kairos.store.PoolSettings;
import dev.kairos.store.Store;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code /api/v1/pools} and {@code /api/v1/workers}: live workers, capacity, use and backlog per
 * pool and cluster (what an autoscaler scales on), and a pool's settings.
 */
public final class PoolsApi implements Routes {
  private final Store store;
  private final Clock clock;
  private final PoolStatus status;

  public PoolsApi(Store store, Clock clock, PoolStatus status) {
    this.store = store;
    this.clock = clock;
    this.status = status;
  }

  /**
   * The body of {@code PUT /api/v1/pools/{pool}}.
   *
   * @param maxRunning at most this many attempts of the pool run at once; null = no limit
   * @param priorityAging e.g. {@code 1s}: a waiting attempt gains one priority point per this long;
   *     {@code 0s} = strict priority; null = the default (1s)
   * @param order {@code fifo} (the default) or {@code shortest-predicted-first}
   * @param orderWindow with {@code shortest-predicted-first}: the most an attempt is held back
   *     behind shorter ones; at most the priority aging (when on); null = the default (1m, capped
   *     just under the aging)
   */
  record SettingsBody(Integer maxRunning, String priorityAging, String order, String orderWindow) {}

  record WorkerView(
      String workerId,
      String pool,
      String cluster,
      java.util.Map<String, String> labels,
      String cpu,
      String memory,
      int slots,
      String usedCpu,
      String usedMemory,
      int running,
      java.time.Instant startedAt,
      java.time.Instant lastSeenAt) {}

  @Override
  public void register(RoutesConfig app) {
    app.get("/api/v1/pools", ctx -> ctx.json(new Views.Items<>(status.pools())));
    app.get("/api/v1/pools/{pool}", this::one);
    app.put("/api/v1/pools/{pool}", this::configure);
    app.get("/api/v1/workers", this::workers);
  }

  private void one(Context ctx) {
    String pool = pool(ctx);
    PoolStatus.PoolView view =
        status.pools().stream()
            .filter(p -> p.pool().equals(pool))
            .findFirst()
            .orElseGet(() -> status.empty(pool));
    ctx.json(view);
  }

  private void configure(Context ctx) throws JsonProcessingException {
    Namespaces.checkAll(ctx, "pool settings");
    String pool = pool(ctx);
    SettingsBody body = ApiJson.body(ctx, SettingsBody.class);
    List<FieldError> errors = new ArrayList<>();
    Integer max = body == null ? null : body.maxRunning();
    if (max != null && (max < 1 || max > 1_000_000)) {
      errors.add(
          new FieldError(
              "maxRunning", String.valueOf(max), "must be 1 to 1000000, or null for no limit"));
    }
    Duration aging = PoolSettings.DEFAULT_AGING;
    if (body != null && body.priorityAging() != null) {
      try {
        aging = Durations.parse(body.priorityAging());
        if (aging.isNegative() || aging.compareTo(Duration.ofDays(1)) > 0) {
          errors.add(
              new FieldError("priorityAging", body.priorityAging(), "must be 0s (no aging) to 1d"));
        }
      } catch (IllegalArgumentException e) {
        errors.add(new FieldError("priorityAging", body.priorityAging(), e.getMessage()));
      }
    }
    DispatchOrder order = DispatchOrder.FIFO;
    if (body != null && body.order() != null) {
      order = DispatchOrder.parse(body.order()).orElse(null);
      if (order == null) {
        errors.add(new FieldError("order", body.order(), "must be " + DispatchOrder.allowed()));
      }
    }
    Duration window = body == null ? null : window(body, order, aging, errors);
    if (!errors.isEmpty()) {
      throw ApiException.badRequest(errors);
    }
    store.configurePool(new PoolSettings(pool, max, aging, order, window), clock.instant());
    one(ctx);
  }

  private static Duration window(
      SettingsBody body, DispatchOrder order, Duration aging, List<FieldError> errors) {
    if (body.orderWindow() == null) {
      return null;
    }
    if (order != DispatchOrder.SHORTEST_PREDICTED_FIRST) {
      errors.add(
          new FieldError(
              "orderWindow",
              body.orderWindow(),
              "applies only with order shortest-predicted-first; leave it out"));
      return null;
    }
    try {
      Duration window = Durations.parse(body.orderWindow());
      if (window.isNegative() || window.compareTo(Duration.ofDays(1)) > 0) {
        errors.add(new FieldError("orderWindow", body.orderWindow(), "must be 0s to 1d"));
      } else if (!aging.isZero() && window.compareTo(aging) > 0) {
        errors.add(
            new FieldError(
                "orderWindow",
                body.orderWindow(),
                "must be at most priorityAging ("
                    + Durations.format(aging)
                    + "), so that a shorter attempt never passes one of higher priority; raise"
                    + " priorityAging or use 0s (strict priority)"));
      }
      return window;
    } catch (IllegalArgumentException e) {
      errors.add(new FieldError("orderWindow", body.orderWindow(), e.getMessage()));
      return null;
    }
  }

  private void workers(Context ctx) {
    ctx.json(
        new Views.Items<>(
            status.liveWorkers().stream()
                .map(w ->
                    new WorkerView(
                        w.info().workerId(),
                        w.info().pool(),
                        w.info().cluster(),
                        w.info().labels(),
                        w.info().capacity().cpu(),
                        w.info().capacity().memory(),
                        w.info().capacity().slots(),
                        w.used().cpu(),
                        w.used().memory(),
                        w.running(),
                        w.startedAt(),
                        w.lastSeenAt()))
                .toList()));
  }

  private static String pool(Context ctx) {
    String pool = ctx.pathParam("pool");
    String problem = Names.checkDnsLabel(pool);
    if (problem != null) {
      throw ApiException.badRequest("pool", pool, problem);
    }
    return pool;
  }
}
