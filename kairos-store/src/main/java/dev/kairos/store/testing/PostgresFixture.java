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
 * <p>{@link #available()} says whether PostgreSQL can be reached. Tests skip when it cannot, except
 * under CI ({@code CI=true}), where an unreachable database must fail the build.
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

  /** Whether CI demands real PostgreSQL (tests must fail rather than skip). */
  public static boolean required() {
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }

  /** Null if PostgreSQL answers, else why not. */
  public static String unavailableReason() {
    try (Connection c = DriverManager.getConnection(baseUrl())) {
      return c.isValid(5) ? null : "connection not valid";
    } catch (SQLException e) {
      return e.getMessage();
    }
  }

  /**
   * Whether PostgreSQL tests can run: true when it answers; false (skip) when it does not; under
   * CI, where it is mandatory, an unreachable database throws so the build fails instead.
   */
  public static boolean availableOrRequired() {
    String why = unavailableReason();
    if (why != null && required()) {
      throw new IllegalStateException(
          "PostgreSQL is required under CI but unreachable at " + baseUrl() + ": " + why);
    }
    return why == null;
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
