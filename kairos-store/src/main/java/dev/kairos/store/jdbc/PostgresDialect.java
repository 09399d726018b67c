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
}
