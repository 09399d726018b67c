package dev.kairos.store;

import static org.assertj.core.api.Assertions.fail;
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
    String why = PostgresFixture.unavailableReason();
    if (why != null && PostgresFixture.required()) {
      fail(
          "PostgreSQL is required under CI but unreachable at "
              + PostgresFixture.baseUrl()
              + ": "
              + why);
    }
    assumeTrue(why == null, "PostgreSQL unreachable: " + why);
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
