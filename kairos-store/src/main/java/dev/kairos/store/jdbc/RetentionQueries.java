package dev.kairos.store.jdbc;

import dev.kairos.core.run.RunState;
import dev.kairos.core.spec.History;
import dev.kairos.core.spec.JobKey;
import dev.kairos.store.HistoryCut;
import dev.kairos.store.JobRecord;
import dev.kairos.store.Pruned;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Retention: which ended runs a job's {@code spec.history} or the server's retention no longer
 * keeps, and deleting them, with events, alert deliveries and audit entries past their cutoff, a
 * small transaction at a time.
 *
 * <p>No index on runs may mention a column the hot path changes (state, finished_at: see the V2
 * migration), so runs are found through indexes on what never changes: a job's runs by id ({@code
 * runs_by_job}) for its history, and runs by creation time ({@code runs_created}, V13) for age, as
 * a run ends after it is created. The state and end time are then read from the row.
 */
final class RetentionQueries {
  private static final String SUCCESSFUL = states(History.SUCCESSFUL);
  private static final String FAILED = states(History.FAILED);

  /**
   * The run {@code r} has ended and nothing of it is active or owed: no attempt queued or running
   * (a cancelled run's attempts are killed after it ended) and no alert event waiting to be turned
   * into deliveries (they are raised from the run's row, and dropped when it is gone).
   */
  private static final String DELETABLE =
      "r.finished_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM attempts a WHERE a.run_id = r.id"
          + " AND "
          + Database.stateIs("a.state", "QUEUED", "RUNNING")
          + ") AND NOT EXISTS (SELECT 1 FROM run_events e WHERE e.run_id = r.id)";

  private final Database db;
  private final JobQueries jobs;

  RetentionQueries(Database db, JobQueries jobs) {
    this.db = db;
    this.jobs = jobs;
  }

  private static String states(Set<RunState> states) {
    return states.stream()
        .map(s -> "'" + s.name() + "'")
        .collect(Collectors.joining(", ", "(", ")"));
  }

  long lastRunId() {
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT MAX(id) FROM runs");
          ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    });
  }

  Map<JobKey, Integer> runsCreatedAfter(long runId) {
    return db.read(c -> {
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT namespace, job_name, COUNT(*) FROM runs WHERE id > ?"
                  + " GROUP BY namespace, job_name")) {
        ps.setLong(1, runId);
        Map<JobKey, Integer> counts = new HashMap<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            counts.put(new JobKey(rs.getString(1), rs.getString(2)), rs.getInt(3));
          }
        }
        return counts;
      }
    });
  }

  List<JobKey> jobsAfter(JobKey after, int limit) {
    return db.read(c -> {
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT namespace, name FROM jobs"
                  + (after == null ? "" : " WHERE (namespace, name) > (?, ?)")
                  + " ORDER BY namespace, name LIMIT ?")) {
        int i = 1;
        if (after != null) {
          ps.setString(i++, after.namespace());
          ps.setString(i++, after.name());
        }
        ps.setInt(i, limit);
        return keys(ps);
      }
    });
  }

  private static List<JobKey> keys(PreparedStatement ps) throws SQLException {
    List<JobKey> keys = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        keys.add(new JobKey(rs.getString(1), rs.getString(2)));
      }
    }
    return keys;
  }

  HistoryCut historyCut(JobKey job) {
    return db.read(c -> {
      Optional<JobRecord> record = jobs.find(c, job, false);
      if (record.isEmpty()) {
        return HistoryCut.NONE;
      }
      History history = record.get().manifest().spec().history();
      return new HistoryCut(
          keptFrom(c, job, SUCCESSFUL, history.successfulRuns()),
          keptFrom(c, job, FAILED, history.failedRuns()),
          history.successfulRuns() + history.failedRuns());
    });
  }

  List<Long> runsPastHistory(JobKey job, HistoryCut cut, int limit) {
    if (cut.nonePast()) {
      return List.of();
    }
    return db.read(c -> {
      // runs_by_job from the job's oldest run: those are the ones past the cut
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT r.id FROM runs r WHERE r.namespace = ? AND r.job_name = ? AND r.id < ?"
                  + " AND ((r.state IN "
                  + SUCCESSFUL
                  + " AND r.id < ?) OR (r.state IN "
                  + FAILED
                  + " AND r.id < ?)) AND "
                  + DELETABLE
                  + " ORDER BY r.id LIMIT ?")) {
        ps.setString(1, job.namespace());
        ps.setString(2, job.name());
        ps.setLong(3, Math.max(cut.successfulBefore(), cut.failedBefore()));
        ps.setLong(4, cut.successfulBefore());
        ps.setLong(5, cut.failedBefore());
        ps.setInt(6, limit);
        return ids(ps);
      }
    });
  }

  /**
   * The id of the oldest of the job's {@code keep} newest runs in {@code states}: the runs in those
   * states with a lower id are past its history. 0 when it has no more than {@code keep} (none is
   * past), {@link Long#MAX_VALUE} when {@code keep} is 0 (every one is).
   */
  private static long keptFrom(Connection c, JobKey job, String states, int keep)
      throws SQLException {
    if (keep <= 0) {
      return Long.MAX_VALUE;
    }
    // runs_by_job read backwards: the newest first, skipping the other states
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT id FROM runs WHERE namespace = ? AND job_name = ? AND state IN "
                + states
                + " ORDER BY id DESC LIMIT 1 OFFSET ?")) {
      ps.setString(1, job.namespace());
      ps.setString(2, job.name());
      ps.setInt(3, keep - 1);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0;
      }
    }
  }

  List<Long> runsEndedBefore(Instant cutoff, int limit) {
    return db.read(c -> {
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT r.id FROM runs r WHERE r.created_at < ? AND r.finished_at < ? AND "
                  + DELETABLE
                  + " ORDER BY r.created_at LIMIT ?")) {
        ps.setLong(1, cutoff.toEpochMilli());
        ps.setLong(2, cutoff.toEpochMilli());
        ps.setInt(3, limit);
        return ids(ps);
      }
    });
  }

  private static List<Long> ids(PreparedStatement ps) throws SQLException {
    List<Long> ids = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        ids.add(rs.getLong(1));
      }
    }
    return ids;
  }

  Pruned deleteRuns(Collection<Long> runIds, Instant endedBefore, int rowsPerTransaction) {
    if (runIds.isEmpty()) {
      return Pruned.NONE;
    }
    if (rowsPerTransaction < 1) {
      throw new IllegalArgumentException("rowsPerTransaction must be positive");
    }
    List<Long> ids = new ArrayList<>(new TreeSet<>(runIds));
    Map<Long, Integer> rows = db.read(c -> rowsOf(c, ids));
    Pruned done = Pruned.NONE;
    // the logs of a run too big for a transaction first (a chatty task makes them by the
    // thousand), a batch at a time; the logs of the others go with their runs
    List<Long> big =
        ids.stream().filter(id -> rows.getOrDefault(id, 1) > rowsPerTransaction).toList();
    if (!big.isEmpty()) {
      int logs;
      do {
        logs = db.tx(c -> deleteLogs(c, big, endedBefore, rowsPerTransaction));
        done = done.plus(new Pruned(0, 0, logs, logs));
      } while (logs == rowsPerTransaction);
      Map<Long, Integer> left = db.read(c -> rowsOf(c, big));
      big.forEach(id -> rows.put(id, left.getOrDefault(id, 1)));
    }
    // then the runs with their attempts, as many runs a transaction as fit
    for (List<Long> group : groups(ids, rows, rowsPerTransaction)) {
      done = done.plus(db.tx(c -> deleteGroup(c, group, endedBefore)));
    }
    return done;
  }

  /** Up to {@code limit} log chunks of the deletable runs among {@code ids}. */
  private int deleteLogs(Connection c, List<Long> ids, Instant endedBefore, int limit)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "DELETE FROM attempt_logs WHERE (attempt_id, seq) IN (SELECT l.attempt_id, l.seq"
                + " FROM attempt_logs l WHERE l.attempt_id IN (SELECT a.id FROM attempts a"
                + " JOIN runs r ON r.id = a.run_id WHERE "
                + db.idIn("r.id", ids.size())
                + " AND r.finished_at < ? AND "
                + DELETABLE
                + ") LIMIT ?"
                + db.dialect().skipLocked()
                + ")")) {
      int i = db.bindIds(ps, 1, ids);
      ps.setLong(i++, endedBefore.toEpochMilli());
      ps.setInt(i, limit);
      return ps.executeUpdate();
    }
  }

  /**
   * The rows each run is, at most: itself, its attempts and their log chunks (an attempt with logs
   * counts twice, which only makes its group smaller), in one pass over the attempts' index.
   */
  private Map<Long, Integer> rowsOf(Connection c, List<Long> ids) throws SQLException {
    Map<Long, Integer> rows = new HashMap<>();
    ids.forEach(id -> rows.put(id, 1));
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT a.run_id, COUNT(*) + COUNT(l.attempt_id) FROM attempts a"
                + " LEFT JOIN attempt_logs l ON l.attempt_id = a.id WHERE "
                + db.idIn("a.run_id", ids.size())
                + " GROUP BY a.run_id")) {
      db.bindIds(ps, 1, ids);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows.merge(rs.getLong(1), (int) Math.min(Integer.MAX_VALUE, rs.getLong(2)), Integer::sum);
        }
      }
    }
    return rows;
  }

  /**
   * The runs in groups of at most {@code limit} rows (see {@link #rowsOf}), in order; a run of more
   * rows than that is a group of its own.
   */
  static List<List<Long>> groups(List<Long> ids, Map<Long, Integer> rows, int limit) {
    List<List<Long>> groups = new ArrayList<>();
    List<Long> group = new ArrayList<>();
    int size = 0;
    for (long id : ids) {
      int weight = rows.getOrDefault(id, 1);
      if (!group.isEmpty() && size + weight > limit) {
        groups.add(group);
        group = new ArrayList<>();
        size = 0;
      }
      group.add(id);
      size += weight;
    }
    if (!group.isEmpty()) {
      groups.add(group);
    }
    return groups;
  }

  /**
   * Deletes the runs of {@code group} that may still go, with their logs and attempts (their task
   * marks go with them, by cascade), in the caller's transaction. The runs are locked first,
   * skipping those another transaction holds (a repair); the conditions are read again under the
   * lock, so a run repaired meanwhile stays.
   */
  private Pruned deleteGroup(Connection c, List<Long> group, Instant endedBefore)
      throws SQLException {
    List<Long> locked;
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT r.id FROM runs r WHERE "
                + db.idIn("r.id", group.size())
                + " AND r.finished_at < ? AND "
                + DELETABLE
                + db.dialect().skipLocked())) {
      int i = db.bindIds(ps, 1, group);
      ps.setLong(i, endedBefore.toEpochMilli());
      locked = ids(ps);
    }
    if (locked.isEmpty()) {
      return Pruned.NONE;
    }
    int logs =
        delete(
            c,
            "DELETE FROM attempt_logs WHERE attempt_id IN (SELECT id FROM attempts WHERE "
                + db.idIn("run_id", locked.size())
                + ")",
            locked);
    int attempts =
        delete(c, "DELETE FROM attempts WHERE " + db.idIn("run_id", locked.size()), locked);
    int runs = delete(c, "DELETE FROM runs WHERE " + db.idIn("id", locked.size()), locked);
    return new Pruned(runs, attempts, logs, runs + attempts + logs);
  }

  private int delete(Connection c, String sql, List<Long> ids) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      db.bindIds(ps, 1, ids);
      return ps.executeUpdate();
    }
  }

  int pruneEvents(Instant cutoff, int limit) {
    return pruneOlder("events", "received_at", "", cutoff, limit);
  }

  int pruneAlerts(Instant cutoff, int limit) {
    // a delivery still being tried is kept whatever its age
    return pruneOlder(
        "alerts", "created_at", " AND state IN ('DELIVERED', 'FAILED')", cutoff, limit);
  }

  int pruneAudit(Instant cutoff, int limit) {
    return pruneOlder("audit_log", "at", "", cutoff, limit);
  }

  /** Deletes up to {@code limit} rows of {@code table} whose {@code time} is before the cutoff. */
  private int pruneOlder(String table, String time, String also, Instant cutoff, int limit) {
    return db.tx(c -> {
      try (PreparedStatement ps =
          c.prepareStatement(
              "DELETE FROM "
                  + table
                  + " WHERE "
                  + db.idInQuery(
                      "id",
                      "SELECT id FROM "
                          + table
                          + " WHERE "
                          + time
                          + " < ?"
                          + also
                          + " ORDER BY "
                          + time
                          + " LIMIT ?"
                          + db.dialect().skipLocked()))) {
        ps.setLong(1, cutoff.toEpochMilli());
        ps.setInt(2, limit);
        return ps.executeUpdate();
      }
    });
  }
}
