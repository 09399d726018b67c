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
  public String randomFence() {
    return "(abs(random() % 9007199254740990) + 1)";
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

  /**
   * Result codes that the same statement with the same data meets again: SQLITE_ERROR (1, an SQL
   * error), TOOBIG (18), CONSTRAINT (19), MISMATCH (20), MISUSE (21) and RANGE (25). BUSY, LOCKED,
   * I/O errors, a full disk and the rest may pass.
   */
  private static final java.util.Set<Integer> PERMANENT_CODES =
      java.util.Set.of(1, 18, 19, 20, 21, 25);

  @Override
  public boolean isTransient(java.sql.SQLException e) {
    if (e instanceof java.sql.SQLTransientException
        || e instanceof java.sql.SQLRecoverableException) {
      return true;
    }
    // extended result codes keep the primary code in their low byte
    return !PERMANENT_CODES.contains(e.getErrorCode() & 0xff);
  }
}
