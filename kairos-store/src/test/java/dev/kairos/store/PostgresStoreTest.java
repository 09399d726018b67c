package dev.kairos.store;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kairos.core.protocol.Assignment;
import dev.kairos.core.protocol.HeartbeatReply;
import dev.kairos.core.run.RunState;
import dev.kairos.prerequisites.Part;
import dev.kairos.store.testing.PostgresFixture;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
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
    Part.POSTGRESQL.require(PostgresFixture.unavailableReason());
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
    Assignment claimed = claimedBy("w1", "locked");
    long attempt = claimed.attemptId();
    try (Connection c = lockingAttempt(attempt)) {
      try {
        CompletableFuture<HeartbeatReply> beat =
            CompletableFuture.supplyAsync(
                () -> store.heartbeat("w1", List.of(claimed.lease()), T0.plusSeconds(1), LEASE));
        HeartbeatReply reply = beat.get(30, SECONDS);
        assertThat(reply.lost()).isEmpty();
        assertThat(reply.cancel()).isEmpty();
      } finally {
        c.rollback();
      }
    }
    assertThat(store.findRun(claimed.runId()).orElseThrow().state()).isEqualTo(RunState.RUNNING);
  }

  /**
   * A completion locks the attempts it ends, then their run; a cancel locked the run, then waited
   * for the attempt to flag it, and the two deadlocked (PostgreSQL aborted one: the cancel call
   * failed, or the completion was sent again). The cancel takes the run's active attempts first.
   */
  @Test
  void cancellingARunWhileACompletionOfItIsUnderWayDoesNotDeadlock() throws Exception {
    Assignment claimed = claimedBy("w1", "cancel-race");
    long run = claimed.runId();
    try (Connection c = lockingAttempt(claimed.attemptId());
        Statement s = c.createStatement()) {
      CompletableFuture<Optional<RunRecord>> cancel =
          CompletableFuture.supplyAsync(() -> store.cancelRun(run, "stop", T0.plusSeconds(1)));
      awaitWaitingForALockOnAttempts();
      // as the completion goes on to lock its run
      s.execute("SELECT id FROM runs WHERE id = " + run + " FOR UPDATE");
      c.commit();
      assertThat(cancel.get(30, SECONDS)).map(RunRecord::state).contains(RunState.CANCELLED);
    }
  }

  /** The one attempt of a new run of a new job, claimed by {@code worker}. */
  private Assignment claimedBy(String worker, String jobName) {
    trigger(apply(job(jobName, ""), null));
    return store.claimAttempts(Claim.any("default", worker, 1), T0, Duration.ZERO, LEASE).get(0);
  }

  /** A connection in a transaction that holds the attempt's row lock, as a completion does. */
  private Connection lockingAttempt(long attempt) throws Exception {
    Connection c = DriverManager.getConnection(config.jdbcUrl());
    c.setAutoCommit(false);
    try (Statement s = c.createStatement()) {
      s.execute("SELECT id FROM attempts WHERE id = " + attempt + " FOR UPDATE");
    }
    return c;
  }

  /** Polled outside any transaction: within one, PostgreSQL shows the same activity snapshot. */
  private void awaitWaitingForALockOnAttempts() throws Exception {
    long deadline = System.nanoTime() + SECONDS.toNanos(30);
    try (Connection c = DriverManager.getConnection(config.jdbcUrl());
        Statement s = c.createStatement()) {
      while (System.nanoTime() < deadline) {
        try (ResultSet rs =
            s.executeQuery(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                    + " AND query LIKE '%attempts%' AND pid <> pg_backend_pid()")) {
          rs.next();
          if (rs.getInt(1) > 0) {
            return;
          }
        }
        Thread.sleep(10);
      }
    }
    throw new AssertionError("the cancel never waited for the attempt");
  }
}
