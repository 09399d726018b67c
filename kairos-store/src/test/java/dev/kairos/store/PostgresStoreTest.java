package dev.kairos.store;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kairos.store.testing.PostgresFixture;
import org.junit.jupiter.api.BeforeAll;

/**
 * The store contract on PostgreSQL, each test in a fresh schema. Skipped when PostgreSQL cannot be
 * reached, except under CI=true, where that fails.
 */
class PostgresStoreTest extends StoreContract {
  @BeforeAll
  static void requirePostgres() {
    assumeTrue(PostgresFixture.availableOrRequired(), "PostgreSQL unreachable");
  }

  @Override
  protected StoreConfig newDatabase() {
    PostgresFixture pg = PostgresFixture.create();
    cleanup(pg::close);
    return pg.config();
  }

  @Override
  protected boolean sharedByProcesses() {
    return true;
  }
}
