package dev.kairos.store.jdbc;

import dev.kairos.core.run.AttemptState;
import dev.kairos.core.run.RunAdvancer.TaskOutcome;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * Where a run's tasks stand, as the advancer needs it: each task's latest attempt that is not
 * cleared, the operator's marks, and how many attempts each task has had (cleared ones too), so
 * that a task queued again gets the next attempt number.
 *
 * @param latest latest uncleared attempt state by task
 * @param marks SUCCEEDED or SKIPPED marks by task
 * @param attempts the highest attempt number by task
 */
record TaskHistory(
    Map<String, AttemptState> latest,
    Map<String, TaskOutcome> marks,
    Map<String, Integer> attempts) {

  static TaskHistory load(Connection c, long runId) throws SQLException {
    Map<String, AttemptState> latest = new HashMap<>();
    Map<String, Integer> attempts = new HashMap<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT task_name, state, attempt, cleared FROM attempts WHERE run_id = ? ORDER BY id")) {
      ps.setLong(1, runId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String task = rs.getString(1);
          attempts.merge(task, rs.getInt(3), Math::max);
          if (!rs.getBoolean(4)) {
            latest.put(task, AttemptState.valueOf(rs.getString(2)));
          }
        }
      }
    }
    Map<String, TaskOutcome> marks = new HashMap<>();
    try (PreparedStatement ps =
        c.prepareStatement("SELECT task_name, state FROM task_marks WHERE run_id = ?")) {
      ps.setLong(1, runId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          marks.put(rs.getString(1), TaskOutcome.valueOf(rs.getString(2)));
        }
      }
    }
    return new TaskHistory(latest, marks, attempts);
  }

  /** The attempt number a task queued now gets (1 if it never had one). */
  int nextAttempt(String task) {
    return attempts.getOrDefault(task, 0) + 1;
  }
}
