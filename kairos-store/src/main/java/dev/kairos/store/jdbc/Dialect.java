package dev.kairos.store.jdbc;

import com.zaxxer.hikari.HikariConfig;

/** What differs between the databases the JDBC store runs on. SQL is otherwise shared. */
public interface Dialect {
  /** The folder of its Flyway migrations under {@code db/migration/}. */
  String name();

  /** Connection settings (pragmas, driver options). */
  void configure(HikariConfig config);

  /**
   * Appended to a SELECT that picks rows to change, so concurrent replicas take different rows
   * instead of waiting for each other; empty where there is only one writer.
   */
  String skipLocked();

  /** Whether write transactions must be serialised in this process (SQLite: one writer). */
  boolean singleWriter();

  /**
   * Whether a statement may write in a {@code WITH} clause (PostgreSQL), so that writes to two
   * tables take one statement and one round trip.
   */
  boolean writesInWith();

  /**
   * Whether a list of ids is sent as one array parameter ({@code id = ANY(?)}): one statement text
   * for any number of ids, planned as index lookups (PostgreSQL), instead of an IN list.
   */
  boolean idArrays();

  /**
   * An expression that draws, for each row, a random fencing token in [1, 2^53): 53 bits, so that
   * it survives a JSON number in any client, and unguessable for practical purposes.
   */
  String randomFence();

  /**
   * Appended to a SELECT of rows the transaction goes on to decide from, so that concurrent
   * transactions deciding from the same rows take turns; empty where there is only one writer.
   */
  String lockRows();

  /**
   * The condition that the JSON object of labels in {@code column} is contained in the JSON object
   * bound to its one parameter (every key there, with the same value): a job's label selector
   * against a worker's labels.
   */
  String labelsMatch(String column);

  /**
   * A statement that makes the rest of the transaction plan its prepared statements once, for any
   * parameters (null where there is nothing to do). For statements whose planning costs more than
   * their execution: PostgreSQL otherwise plans a claim's union of size classes anew on every call
   * (7 ms to plan, 0.4 ms to run).
   */
  String genericPlans();

  /**
   * Whether a failed statement may succeed if tried again later (a lost connection, a deadlock or
   * serialization failure, a lock or statement timeout, the server shutting down), as opposed to
   * failing the same way for the same input (bad data, a broken constraint, a bug in the SQL). When
   * unsure, transient: taking a database outage for bad items would set aside everything at once.
   */
  boolean isTransient(java.sql.SQLException e);
}
