package dev.kairos.store.jdbc;

import com.zaxxer.hikari.HikariConfig;

/** PostgreSQL: many replicas, coordinated by row locks ({@code SKIP LOCKED}) and unique keys. */
public final class PostgresDialect implements Dialect {
  @Override
  public String name() {
    return "postgresql";
  }

  @Override
  public void configure(HikariConfig config) {
    config.addDataSourceProperty("reWriteBatchedInserts", "true");
    config.addDataSourceProperty("tcpKeepAlive", "true");
  }

  @Override
  public String skipLocked() {
    return " FOR UPDATE SKIP LOCKED";
  }

  @Override
  public boolean singleWriter() {
    return false;
  }

  @Override
  public boolean writesInWith() {
    return true;
  }

  @Override
  public boolean idArrays() {
    return true;
  }

  @Override
  public String randomFence() {
    return "(floor(random() * 9007199254740990) + 1)::bigint";
  }

  @Override
  public String lockRows() {
    return " FOR UPDATE";
  }

  @Override
  public String labelsMatch(String column) {
    return "CAST(" + column + " AS jsonb) <@ CAST(? AS jsonb)";
  }

  @Override
  public String genericPlans() {
    return "SET LOCAL plan_cache_mode = force_generic_plan";
  }

  /**
   * SQLSTATE classes that the same statement with the same data meets again: data exceptions (22,
   * e.g. a number out of range), integrity violations (23), syntax or access errors (42), features
   * not supported (0A), cardinality (21), routine exceptions (2F) and check-option violations (44).
   * Everything else (connection 08, rollback 40: deadlock, serialization; resources 53; operator
   * intervention 57: shutdown, statement timeout; lock not available 55P03) may pass.
   */
  private static final java.util.Set<String> PERMANENT_CLASSES =
      java.util.Set.of("22", "23", "42", "0A", "21", "2F", "44");

  @Override
  public boolean isTransient(java.sql.SQLException e) {
    if (e instanceof java.sql.SQLTransientException
        || e instanceof java.sql.SQLRecoverableException) {
      return true;
    }
    String state = e.getSQLState();
    return state == null
        || state.length() < 2
        || !PERMANENT_CLASSES.contains(state.substring(0, 2));
  }
}
