package dev.kairos.store.jdbc;

import dev.kairos.store.DispatchOrder;
import dev.kairos.store.PoolSettings;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Pool settings: read on every claim and every queued attempt, so kept in memory for {@link
 * #TTL_MILLIS}; a change made through another replica is seen within that time.
 */
final class PoolQueries {
  static final long TTL_MILLIS = 2_000;
  private static final String COLUMNS =
      "name, max_running, priority_aging_millis, dispatch_order, order_window_millis";

  private final Database db;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();

  private record Cached(PoolSettings settings, long readAt) {}

  PoolQueries(Database db) {
    this.db = db;
  }

  /** The settings of {@code pool} (the defaults when it has none), at most a TTL old. */
  PoolSettings settings(Connection c, String pool, Instant now) throws SQLException {
    Cached cached = cache.get(pool);
    long t = now.toEpochMilli();
    if (cached != null && t - cached.readAt() < TTL_MILLIS && t >= cached.readAt()) {
      return cached.settings();
    }
    PoolSettings settings = read(c, pool, "").orElse(PoolSettings.defaults(pool));
    cache.put(pool, new Cached(settings, t));
    return settings;
  }

  /**
   * How many more attempts may start in {@code pool} now, or null when it has no limit. With a
   * limit, locks the pool's row until the transaction ends, so that replicas claiming at once take
   * turns and together never pass it.
   */
  Integer room(Connection c, String pool, Instant now) throws SQLException {
    if (settings(c, pool, now).maxRunning() == null) {
      return null;
    }
    Optional<PoolSettings> locked = read(c, pool, db.dialect().lockRows());
    if (locked.isEmpty() || locked.get().maxRunning() == null) {
      return null; // the limit was removed meanwhile
    }
    try (PreparedStatement ps =
        c.prepareStatement("SELECT COUNT(*) FROM attempts WHERE state = 'RUNNING' AND pool = ?")) {
      ps.setString(1, pool);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return (int) Math.max(0, locked.get().maxRunning() - rs.getLong(1));
      }
    }
  }

  private static Optional<PoolSettings> read(Connection c, String pool, String lock)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT " + COLUMNS + " FROM pools WHERE name = ?" + lock)) {
      ps.setString(1, pool);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(settings(rs)) : Optional.empty();
      }
    }
  }

  private static PoolSettings settings(ResultSet rs) throws SQLException {
    Long max = Database.nullableLong(rs, "max_running");
    Long aging = Database.nullableLong(rs, "priority_aging_millis");
    Long window = Database.nullableLong(rs, "order_window_millis");
    return new PoolSettings(
        rs.getString("name"),
        max == null ? null : max.intValue(),
        aging == null ? PoolSettings.DEFAULT_AGING : Duration.ofMillis(aging),
        DispatchOrder.valueOf(rs.getString("dispatch_order")),
        window == null ? null : Duration.ofMillis(window));
  }

  PoolSettings find(String pool) {
    return db.read(c -> read(c, pool, "").orElse(PoolSettings.defaults(pool)));
  }

  /** Pools with settings of their own, by name. */
  List<PoolSettings> list() {
    return db.read(c -> {
      List<PoolSettings> list = new ArrayList<>();
      try (PreparedStatement ps =
              c.prepareStatement("SELECT " + COLUMNS + " FROM pools ORDER BY name");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          list.add(settings(rs));
        }
      }
      return list;
    });
  }

  PoolSettings put(PoolSettings settings, Instant now) {
    db.tx(c -> {
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO pools (name, max_running, priority_aging_millis, dispatch_order,"
                  + " order_window_millis, updated_at) VALUES (?, ?, ?, ?, ?, ?)"
                  + " ON CONFLICT (name) DO UPDATE SET max_running = excluded.max_running,"
                  + " priority_aging_millis = excluded.priority_aging_millis,"
                  + " dispatch_order = excluded.dispatch_order,"
                  + " order_window_millis = excluded.order_window_millis,"
                  + " updated_at = excluded.updated_at")) {
        ps.setString(1, settings.name());
        Database.setNullableLong(
            ps, 2, settings.maxRunning() == null ? null : (long) settings.maxRunning());
        ps.setLong(3, settings.priorityAging().toMillis());
        ps.setString(4, settings.order().name());
        Database.setNullableLong(
            ps, 5, settings.orderWindow() == null ? null : settings.orderWindow().toMillis());
        ps.setLong(6, now.toEpochMilli());
        ps.executeUpdate();
      }
      return null;
    });
    cache.remove(settings.name());
    return settings;
  }
}
