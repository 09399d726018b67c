package dev.kairos.store.jdbc;

import com.zaxxer.hikari.HikariConfig;

/**
 * SQLite: one process, one writer. WAL lets readers run beside the writer; synchronous=NORMAL in
 * WAL mode loses no committed transaction on a process crash (only, at worst, the last ones on
 * power loss), which is what makes thousands of commits per second possible.
 */
public final class SqliteDialect implements Dialect {
  @Override
  public String name() {
    return "sqlite";
  }

  @Override
  public void configure(HikariConfig config) {
    config.addDataSourceProperty("journal_mode", "WAL");
    config.addDataSourceProperty("synchronous", "NORMAL");
    config.addDataSourceProperty("busy_timeout", "10000");
    config.addDataSourceProperty("foreign_keys", "true");
  }

  @Override
  public String skipLocked() {
    return "";
  }

  @Override
  public boolean singleWriter() {
    return true;
  }

  @Override
  public boolean writesInWith() {
    return false;
  }

  @Override
  public boolean idArrays() {
    return false;
  }

  @Override
  public String lockRows() {
    return "";
  }

  @Override
  public String labelsMatch(String column) {
    // label keys are checked names (letters, digits, '-', '_', '.', '/'): safe in a quoted path
    return "NOT EXISTS (SELECT 1 FROM json_each("
        + column
        + ") s WHERE json_extract(?, '$.\"' || s.key || '\"') IS NOT s.value)";
  }

  @Override
  public String genericPlans() {
    return null;
  }
}
