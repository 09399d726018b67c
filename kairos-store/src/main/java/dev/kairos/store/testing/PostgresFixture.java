package dev.kairos.store.testing;

import dev.kairos.store.StoreConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A fresh PostgreSQL schema for a test, dropped on close. The server comes from {@code
 * KAIROS_TEST_PG_URL} (default {@code jdbc:postgresql://127.0.0.1:5432/test?user=postgres}).
 * Shipped with the store so that every module's tests, and users' tests, can use real PostgreSQL.
 *
 * <p>{@link #unavailableReason()} says why PostgreSQL cannot be reached, if it cannot; the tests
 * hand that to their prerequisite check, which skips them or, in a strict run ({@code ./test}, or
 * {@code CI=true}), fails them.
 */
public final class PostgresFixture implements AutoCloseable {
  public static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

  private final String baseUrl;
  private final String schema;

  private PostgresFixture(String baseUrl, String schema) {
    this.baseUrl = baseUrl;
    this.schema = schema;
  }

  public static String baseUrl() {
    String url = System.getenv("KAIROS_TEST_PG_URL");
    return url == null || url.isBlank() ? DEFAULT_URL : url;
  }

  /** Null if PostgreSQL answers, else why not. */
  public static String unavailableReason() {
    try (Connection c = DriverManager.getConnection(baseUrl())) {
      return c.isValid(5) ? null : "the connection to " + shownUrl() + " is not valid";
    } catch (SQLException e) {
      return "cannot connect to " + shownUrl() + ": " + e.getMessage();
    }
  }

  /** The base URL as it may be shown in a test's output: without its password. */
  private static String shownUrl() {
    return baseUrl().replaceAll("(?i)(password=)[^&]*", "$1***");
  }

  /** Creates a schema of its own. */
  public static PostgresFixture create() {
    String schema = "t_" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
    try (Connection c = DriverManager.getConnection(baseUrl());
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot create a test schema in " + baseUrl() + ": " + e.getMessage(), e);
    }
    return new PostgresFixture(baseUrl(), schema);
  }

  /** The store configuration for this schema. */
  public StoreConfig config() {
    String sep = baseUrl.contains("?") ? "&" : "?";
    return new StoreConfig(baseUrl + sep + "currentSchema=" + schema, 8);
  }

  @Override
  public void close() {
    try (Connection c = DriverManager.getConnection(baseUrl);
        Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA " + schema + " CASCADE");
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot drop test schema " + schema + ": " + e.getMessage(), e);
    }
  }
}
