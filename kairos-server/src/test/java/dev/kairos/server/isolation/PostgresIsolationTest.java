package dev.kairos.server.isolation;

import dev.kairos.prerequisites.Part;
import dev.kairos.store.StoreConfig;
import dev.kairos.store.testing.PostgresFixture;
import org.junit.jupiter.api.BeforeAll;

/** The isolation contract on PostgreSQL, each test in a schema of its own. */
class PostgresIsolationTest extends IsolationContract {
  @BeforeAll
  static void requirePostgres() {
    Part.POSTGRESQL.require(PostgresFixture.unavailableReason());
  }

  @Override
  protected StoreConfig newDatabase() {
    PostgresFixture pg = PostgresFixture.create();
    cleanup(pg::close);
    return pg.config();
  }
}
