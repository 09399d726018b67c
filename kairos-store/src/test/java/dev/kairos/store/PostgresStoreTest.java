package dev.kairos.store;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kairos.core.protocol.HeartbeatReply;
import dev.kairos.core.run.RunState;
import dev.kairos.store.testing.PostgresFixture;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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

  /**
   * A worker's heartbeat holds the attempts whose completions it is sending at the same time; the
   * completion batch locks them in another order. Waiting for those rows deadlocked the two
   * (PostgreSQL aborted one, seen in the drain bench). The heartbeat skips them, and does not call
   * them lost while they are still the worker's.
   */
  @Test
  void aHeartbeatDoesNotWaitForAnAttemptAnotherTransactionHolds() throws Exception {
    RunRecord run = trigger(apply(job("locked", ""), null));
    long attempt =
        store
            .claimAttempts(Claim.any("default", "w1", 1), T0, Duration.ZERO, LEASE)
            .get(0)
            .attemptId();
    try (Connection c = DriverManager.getConnection(config.jdbcUrl());
        Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      s.execute("SELECT id FROM attempts WHERE id = " + attempt + " FOR UPDATE");
      try {
        CompletableFuture<HeartbeatReply> beat =
            CompletableFuture.supplyAsync(
                () -> store.heartbeat("w1", List.of(attempt), T0.plusSeconds(1), LEASE));
        HeartbeatReply reply = beat.get(30, SECONDS);
        assertThat(reply.lost()).isEmpty();
        assertThat(reply.cancel()).isEmpty();
      } finally {
        c.rollback();
      }
    }
    assertThat(store.findRun(run.id()).orElseThrow().state()).isEqualTo(RunState.RUNNING);
  }
}
