package dev.kairos.store.jdbc;

import dev.kairos.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;

/** Connections and transactions: one place for commit, rollback and error mapping. */
final class Database {
  /** Work done on a connection. */
  @FunctionalInterface
  interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  private final DataSource dataSource;
  private final Dialect dialect;
  private final ReentrantLock writeLock = new ReentrantLock(true);

  Database(DataSource dataSource, Dialect dialect) {
    this.dataSource = dataSource;
    this.dialect = dialect;
  }

  Dialect dialect() {
    return dialect;
  }

  /** Runs {@code work} in one transaction: all of it is committed, or none. */
  <T> T tx(Work<T> work) {
    boolean locked = dialect.singleWriter();
    if (locked) {
      writeLock.lock();
    }
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new StoreException(
          "store operation failed: " + e.getMessage(), e, dialect.isTransient(e));
    } finally {
      if (locked) {
        writeLock.unlock();
      }
    }
  }

  /** Runs a read on its own connection, outside any write lock. */
  <T> T read(Work<T> work) {
    try (Connection c = dataSource.getConnection()) {
      return work.run(c);
    } catch (SQLException e) {
      throw new StoreException("store read failed: " + e.getMessage(), e, dialect.isTransient(e));
    }
  }

  /**
   * The condition that {@code column} is one of {@code n} ids, bound by {@link #bindIds}. On
   * PostgreSQL it is {@code column = ANY(?)} with one array parameter: the text is the same for any
   * n (so the statement is prepared once), and the planner looks the ids up in an index, which it
   * does not always do for a long IN list or a join with a VALUES list on a table whose statistics
   * lag behind (it scans the table instead). A join with a VALUES list of rows keyed by id adds
   * this condition for the same reason.
   */
  String idIn(String column, int n) {
    return dialect.idArrays() ? column + " = ANY(?)" : column + " IN (" + placeholders(n) + ")";
  }

  /**
   * The condition that {@code column} is one of the ids a subquery selects. On PostgreSQL the ids
   * are gathered into an array first ({@code column = ANY(ARRAY(subquery))}), so the rows are then
   * looked up by their index: planned as a semi-join, a generic plan made while the table was
   * nearly empty joined every queued attempt with the subquery's ids (8,424 × 498 comparisons, 330
   * ms per claim, seen in the 10,000-task fan-out).
   */
  String idInQuery(String column, String subquery) {
    return dialect.idArrays()
        ? column + " = ANY(ARRAY(" + subquery + "))"
        : column + " IN (" + subquery + ")";
  }

  /** Binds the ids of an {@link #idIn} condition at {@code from}; returns the next free index. */
  int bindIds(PreparedStatement ps, int from, Collection<Long> ids) throws SQLException {
    if (dialect.idArrays()) {
      ps.setArray(from, ps.getConnection().createArrayOf("bigint", ids.toArray()));
      return from + 1;
    }
    return bindLongs(ps, from, ids);
  }

  /** {@code ?, ?, ?} for an IN list of {@code n} values. */
  static String placeholders(int n) {
    StringBuilder sb = new StringBuilder(n * 3);
    for (int i = 0; i < n; i++) {
      sb.append(i == 0 ? "?" : ", ?");
    }
    return sb.toString();
  }

  /**
   * The condition that {@code column} holds one of {@code states}, written so that the planner
   * cannot answer it from a partial index on that state ({@code attempts_queue}, {@code
   * attempts_leases}), for statements that find their rows by id or run. Such an index keeps an
   * entry for every row that passed through the state until vacuum removes it, while its statistics
   * count only the live ones: plans built on it read 7,000-21,000 dead entries to find 100 attempts
   * by id, and expected one row where there were 100 (see {@code QueueQueries.markEnded}).
   */
  static String stateIs(String column, String... states) {
    return "COALESCE(" + column + ", '') IN ('" + String.join("', '", states) + "')";
  }

  /**
   * The rows of a {@code VALUES} list of {@code rows} rows of parameters, e.g. {@code (CAST(? AS
   * BIGINT), CAST(? AS TEXT)), (?, ?)}: the first row names the column types (a join against the
   * list needs them on PostgreSQL), the others take them from it.
   */
  static String valuesRows(int rows, String... types) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < rows; i++) {
      sb.append(i == 0 ? "(" : ", (");
      for (int t = 0; t < types.length; t++) {
        if (t > 0) {
          sb.append(", ");
        }
        sb.append(i == 0 ? "CAST(? AS " + types[t] + ")" : "?");
      }
      sb.append(')');
    }
    return sb.toString();
  }

  /**
   * A join source of {@code n} rows of parameters of these SQL types, named {@code v} with columns
   * {@code column1}, {@code column2}…, bound by {@link #bindRows}. On PostgreSQL it is {@code
   * unnest} of one array parameter per column: the statement's text is the same for any number of
   * rows, so it is prepared and planned once, where a {@code VALUES} list of a hundred rows is
   * parsed and planned again for each size (milliseconds per batch).
   */
  String rows(int n, String... types) {
    if (!dialect.idArrays()) {
      return "(VALUES " + valuesRows(n, types) + ") AS v";
    }
    StringBuilder sb = new StringBuilder("unnest(");
    StringBuilder columns = new StringBuilder();
    for (int t = 0; t < types.length; t++) {
      sb.append(t == 0 ? "" : ", ").append("CAST(? AS ").append(types[t]).append("[])");
      columns.append(t == 0 ? "" : ", ").append("column").append(t + 1);
    }
    return sb.append(") AS v(").append(columns).append(')').toString();
  }

  /**
   * Binds {@code rows} (each one value per type, null allowed) for {@link #rows}, from parameter
   * index {@code from}; returns the next free index. Types: BIGINT, INTEGER, TEXT, BOOLEAN.
   */
  int bindRows(PreparedStatement ps, int from, List<Object[]> rows, String... types)
      throws SQLException {
    if (!dialect.idArrays()) {
      return bindValues(ps, from, rows, types);
    }
    int i = from;
    for (int t = 0; t < types.length; t++) {
      Object[] column = new Object[rows.size()];
      for (int r = 0; r < rows.size(); r++) {
        column[r] = rows.get(r)[t];
      }
      ps.setArray(i++, ps.getConnection().createArrayOf(arrayType(types[t]), column));
    }
    return i;
  }

  /** Binds {@code rows} for a {@code VALUES} list of {@link #valuesRows}, in any dialect. */
  static int bindValues(PreparedStatement ps, int from, List<Object[]> rows, String... types)
      throws SQLException {
    int i = from;
    for (Object[] row : rows) {
      for (int t = 0; t < types.length; t++) {
        if (row[t] == null) {
          ps.setNull(i++, sqlType(types[t]));
        } else {
          ps.setObject(i++, row[t], sqlType(types[t]));
        }
      }
    }
    return i;
  }

  private static String arrayType(String type) {
    return switch (type) {
      case "BIGINT" -> "int8";
      case "INTEGER" -> "int4";
      case "TEXT" -> "text";
      case "BOOLEAN" -> "bool";
      default -> throw new IllegalArgumentException("no array of " + type);
    };
  }

  private static int sqlType(String type) {
    return switch (type) {
      case "BIGINT" -> java.sql.Types.BIGINT;
      case "INTEGER" -> java.sql.Types.INTEGER;
      case "TEXT" -> java.sql.Types.VARCHAR;
      case "BOOLEAN" -> java.sql.Types.BOOLEAN;
      default -> throw new IllegalArgumentException("no SQL type " + type);
    };
  }

  /** Binds {@code values} from parameter index {@code from}; returns the next free index. */
  static int bindLongs(PreparedStatement ps, int from, Collection<Long> values)
      throws SQLException {
    int i = from;
    for (long v : values) {
      ps.setLong(i++, v);
    }
    return i;
  }

  static Long nullableLong(java.sql.ResultSet rs, String column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : v;
  }

  static Double nullableDouble(java.sql.ResultSet rs, String column) throws SQLException {
    double v = rs.getDouble(column);
    return rs.wasNull() ? null : v;
  }

  static void setNullableDouble(PreparedStatement ps, int index, Double value) throws SQLException {
    if (value == null) {
      ps.setNull(index, java.sql.Types.DOUBLE);
    } else {
      ps.setDouble(index, value);
    }
  }

  static void setNullableLong(PreparedStatement ps, int index, Long value) throws SQLException {
    if (value == null) {
      ps.setNull(index, java.sql.Types.BIGINT);
    } else {
      ps.setLong(index, value);
    }
  }
}
