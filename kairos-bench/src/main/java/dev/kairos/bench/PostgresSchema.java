package dev.kairos.bench;

import dev.kairos.store.StoreConfig;
import java.sql.Connection;
import java.sql.DriverManager;
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
