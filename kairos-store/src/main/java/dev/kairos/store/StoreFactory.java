package dev.kairos.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.kairos.store.jdbc.Dialect;
import dev.kairos.store.jdbc.JdbcStore;
import dev.kairos.store.jdbc.PostgresDialect;
import dev.kairos.store.jdbc.SqliteDialect;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/** Opens a store: picks the dialect from the URL, pools connections, migrates the schema. */
public final class StoreFactory {
  private StoreFactory() {}

  /**
   * @throws StoreException when the database cannot be reached or migrated, with the reason
   * @throws IllegalArgumentException for a URL of an unsupported database
   */
  public static Store open(StoreConfig config) {
    Dialect dialect;
    if (config.isSqlite()) {
      dialect = new SqliteDialect();
    } else if (config.isPostgres()) {
      dialect = new PostgresDialect();
    } else {
      throw new IllegalArgumentException(
          "unsupported store URL "
              + config.describe()
              + "; use jdbc:sqlite:<file> or jdbc:postgresql://host:port/database");
    }
    HikariConfig hikari = new HikariConfig();
    hikari.setJdbcUrl(config.jdbcUrl());
    hikari.setMaximumPoolSize(config.maxPoolSize());
    hikari.setPoolName("kairos-store");
    hikari.setConnectionTimeout(10_000);
    hikari.setInitializationFailTimeout(-1);
    dialect.configure(hikari);
    HikariDataSource dataSource = new HikariDataSource(hikari);
    try {
      Flyway.configure()
          // a session advisory lock instead of a transaction held open through the migration:
          // CREATE INDEX CONCURRENTLY (V13) waits for every older transaction, Flyway's own too
          .configuration(java.util.Map.of("flyway.postgresql.transactional.lock", "false"))
          .dataSource(dataSource)
          .locations("classpath:db/migration/" + dialect.name())
          .load()
          .migrate();
    } catch (FlywayException e) {
      dataSource.close();
      throw new StoreException(
          "cannot open the store " + config.describe() + ": " + rootMessage(e), e);
    }
    return new JdbcStore(dataSource, dialect);
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage();
  }
}
