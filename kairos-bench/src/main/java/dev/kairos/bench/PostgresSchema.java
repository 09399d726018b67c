package dev.kairos.bench;

import dev.kairos.store.StoreConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ThreadLocalRandom;

/** A throw-away PostgreSQL schema for one benchmark run. */
final class PostgresSchema implements ThroughputBench.BenchDatabase {
  private final String url;
  private final String schema;

  private PostgresSchema(String url, String schema) {
    this.url = url;
    this.schema = schema;
  }

  static PostgresSchema create(String url) throws Exception {
    String schema = "bench_" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    }
    return new PostgresSchema(url, schema);
  }

  /**
   * Flushes dirty pages now (CHECKPOINT), so that the write-back of a bulk enqueue does not land in
   * the middle of the measured drain. Needs superuser or pg_checkpoint; skipped otherwise.
   */
  @Override
  public void settle() {
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      s.execute("CHECKPOINT");
    } catch (SQLException e) {
      // not allowed for this user: measure without it
    }
  }

  @Override
  public StoreConfig config() {
    String sep = url.contains("?") ? "&" : "?";
    return new StoreConfig(url + sep + "currentSchema=" + schema, 10);
  }

  @Override
  public void close() throws Exception {
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA " + schema + " CASCADE");
    }
  }
}
