package dev.kairos.store;

import java.nio.file.Path;

/**
 * How to reach the store.
 *
 * @param jdbcUrl {@code jdbc:sqlite:<file>} or {@code jdbc:postgresql://host:port/db?user=...}
 * @param maxPoolSize most connections held open; SQLite writes are serialised anyway, so a few
 *     connections serve its concurrent readers; PostgreSQL: about twice the cores of the database
 */
public record StoreConfig(String jdbcUrl, int maxPoolSize) {

  /** The embedded default: {@code <stateDir>/kairos.db}. */
  public static StoreConfig sqlite(Path stateDir) {
    return new StoreConfig("jdbc:sqlite:" + stateDir.resolve("kairos.db").toAbsolutePath(), 4);
  }

  public boolean isSqlite() {
    return jdbcUrl.startsWith("jdbc:sqlite:");
  }

  public boolean isPostgres() {
    return jdbcUrl.startsWith("jdbc:postgresql:");
  }

  /** For people and logs: the kind and place, never a password. */
  public String describe() {
    if (isSqlite()) {
      return "sqlite " + jdbcUrl.substring("jdbc:sqlite:".length());
    }
    String url = jdbcUrl.replaceAll("(?i)(password=)[^&]*", "$1***");
    url = url.replaceAll("//([^/@:]+):([^/@]+)@", "//$1:***@");
    return "postgresql " + url.substring("jdbc:".length());
  }
}
