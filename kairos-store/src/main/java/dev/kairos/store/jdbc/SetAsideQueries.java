package dev.kairos.store.jdbc;

import dev.kairos.core.alert.AlertKind;
import dev.kairos.core.run.RunState;
import dev.kairos.core.spec.JobKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Ends the items that a loop set aside after they failed alone, for a reason that will not pass
 * (see the server's {@code Isolation}). Each is ended in a transaction of its own with as little
 * work as can be: no spec is read and no retry policy applied, since that may be what failed. The
 * run it belonged to ends FAILED with the internal error as its reason, and INTERNAL_ERROR and
 * RUN_FAILED events raise the job's alerts.
 */
final class SetAsideQueries {
  private final Database db;
  private final RunQueries runs;

  SetAsideQueries(Database db, RunQueries runs) {
    this.db = db;
    this.runs = runs;
  }

  /**
   * The attempt FAILED with {@code reason}, if it is still queued or running, and its run FAILED
   * (its other attempts cancelled). Returns whether the attempt was still active.
   */
  boolean attempt(long attemptId, String reason, Instant now) {
    return db.tx(c -> {
      long runId;
      String task;
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT run_id, task_name FROM attempts WHERE id = ? AND "
                  + Database.stateIs("state", "QUEUED", "RUNNING")
                  + db.dialect().lockRows())) {
        ps.setLong(1, attemptId);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            return false;
          }
          runId = rs.getLong(1);
          task = rs.getString(2);
        }
      }
      try (PreparedStatement ps =
          c.prepareStatement(
              "UPDATE attempts SET state = 'FAILED', error = ?, finished_at = ?,"
                  + " lease_expires_at = NULL WHERE id = ?")) {
        ps.setString(1, reason);
        ps.setLong(2, now.toEpochMilli());
        ps.setLong(3, attemptId);
        ps.executeUpdate();
      }
      String why = "task " + task + " was set aside: " + reason;
      runs.end(c, List.of(runId), RunState.FAILED, why, now);
      raise(c, runId, task, reason, why, now);
      return true;
    });
  }

  /**
   * Stops the job's schedule: its next fire is cleared and {@code reason} kept as its schedule
   * error until the job is applied or resumed again; the fire that failed is recorded as a FAILED
   * run. Returns whether the job had a next fire.
   */
  boolean trigger(JobKey job, String reason, Instant now) {
    return db.tx(c -> {
      long fireTime;
      long version;
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT next_fire_at, version FROM jobs WHERE namespace = ? AND name = ?"
                  + " AND next_fire_at IS NOT NULL"
                  + db.dialect().lockRows())) {
        ps.setString(1, job.namespace());
        ps.setString(2, job.name());
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            return false;
          }
          fireTime = rs.getLong(1);
          version = rs.getLong(2);
        }
      }
      try (PreparedStatement ps =
          c.prepareStatement(
              "UPDATE jobs SET next_fire_at = NULL, schedule_error = ?"
                  + " WHERE namespace = ? AND name = ?")) {
        ps.setString(1, reason);
        ps.setString(2, job.namespace());
        ps.setString(3, job.name());
        ps.executeUpdate();
      }
      String why = "the schedule was set aside: " + reason;
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO runs (namespace, job_name, job_version, trigger_kind, fire_time, state,"
                  + " reason, created_at, finished_at)"
                  + " VALUES (?, ?, ?, 'SCHEDULE', ?, 'FAILED', ?, ?, ?)"
                  + " ON CONFLICT DO NOTHING RETURNING id")) {
        ps.setString(1, job.namespace());
        ps.setString(2, job.name());
        ps.setLong(3, version);
        ps.setLong(4, fireTime);
        ps.setString(5, why);
        ps.setLong(6, now.toEpochMilli());
        ps.setLong(7, now.toEpochMilli());
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            raise(c, rs.getLong(1), null, reason, why, now);
          }
        }
      }
      return true;
    });
  }

  /** Fails the runs of {@code job} that maxActiveRuns held back. Returns how many. */
  int heldRuns(JobKey job, String reason, Instant now) {
    return db.tx(c -> {
      List<Long> ids = new ArrayList<>();
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT id FROM runs WHERE held AND namespace = ? AND job_name = ? ORDER BY id"
                  + db.dialect().lockRows())) {
        ps.setString(1, job.namespace());
        ps.setString(2, job.name());
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            ids.add(rs.getLong(1));
          }
        }
      }
      String why = "the run could not be started and was set aside: " + reason;
      int ended = runs.end(c, ids, RunState.FAILED, why, now);
      for (long id : ids) {
        raise(c, id, null, reason, why, now);
      }
      return ended;
    });
  }

  /** Drops an event that could not be turned into alerts. */
  void alertEvent(long eventId) {
    db.tx(c -> {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM run_events WHERE id = ?")) {
        ps.setLong(1, eventId);
        return ps.executeUpdate();
      }
    });
  }

  private static void raise(
      Connection c, long runId, String task, String reason, String runReason, Instant now)
      throws SQLException {
    AlertQueries.record(
        c,
        List.of(
            new AlertQueries.Event(runId, AlertKind.INTERNAL_ERROR, task, reason),
            new AlertQueries.Event(runId, AlertKind.RUN_FAILED, null, runReason)),
        now);
  }
}
