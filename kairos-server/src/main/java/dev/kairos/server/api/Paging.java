package dev.kairos.server.api;

import io.javalin.http.Context;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * Newest-first paging by id: {@code limit} (1 to 1,000, default 100) and {@code before} (the {@code
 * next} of the page before). A page whose size is the limit may have a next one.
 */
record Paging(int limit, Long before) {
  private static final int DEFAULT_LIMIT = 100;
  private static final int MAX_LIMIT = 1_000;

  static Paging of(Context ctx) {
    int limit = RunsApi.intParam(ctx, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
    String before = ctx.queryParam("before");
    return new Paging(
        limit,
        before == null ? null : (long) RunsApi.intParam(ctx, "before", 0, 1, Integer.MAX_VALUE));
  }

  /** The {@code before} of the next page; null when this one is the last. */
  <T> Long next(List<T> items, ToLongFunction<T> id) {
    return items.size() < limit ? null : id.applyAsLong(items.get(items.size() - 1));
  }
}
