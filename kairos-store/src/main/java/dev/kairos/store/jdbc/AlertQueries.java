package dev.kairos.store.jdbc;

import dev.kairos.core.alert.AlertKind;
import dev.kairos.core.alert.Webhook;
import dev.kairos.core.spec.JobKey;
import dev.kairos.store.AlertQuery;
import dev.kairos.store.AlertRecord;
import dev.kairos.store.JobRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Alerts: events recorded with the changes they are about (run_events), turned into deliveries to
 * webhooks (alerts), and the deliveries' progress.
 */
final class AlertQueries {
  /** An event to record in the transaction of the change it is about. */
  record Event(long runId, AlertKind kind, String task, String detail) {}

  /** A recorded event, with the job of its run (null when the run is gone). */
  private record Stored(long id, Event event, JobKey job) {}

  private final Database db;
  private final JobQueries jobs;

  AlertQueries(Database db, JobQueries jobs) {
    this.db = db;
    this.jobs = jobs;
  }

  /** Records events in the caller's transaction. */
  static void record(Connection c, List<Event> events, Instant now) throws SQLException {
    if (events.isEmpty()) {
      return;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO run_events (run_id, kind, task, detail, at) VALUES (?, ?, ?, ?, ?)")) {
      for (Event e : events) {
        ps.setLong(1, e.runId());
        ps.setString(2, e.kind().name());
        ps.setString(3, e.task());
        ps.setString(4, clip(e.detail()));
        ps.setLong(5, now.toEpochMilli());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /**
   * Turns up to {@code limit} recorded events into deliveries, one per webhook of the run's job
   * that wants the kind ({@code defaults} for a job without webhooks of its own), at most one per
   * run, kind and URL; deletes the events. Returns the deliveries made.
   */
  int raise(Instant now, int limit, List<Webhook> defaults) {
    return raise(now, limit, null, defaults);
  }

  /** {@link #raise} for one event, if it is still there: what a batch that failed is retried as. */
  int raise(long eventId, Instant now, List<Webhook> defaults) {
    return raise(now, 1, eventId, defaults);
  }

  /** The events {@link #raise} would take now, oldest first. */
  List<Long> pending(int limit) {
    return db.read(c -> {
      List<Long> ids = new ArrayList<>();
      try (PreparedStatement ps =
          c.prepareStatement("SELECT id FROM run_events ORDER BY id LIMIT ?")) {
        ps.setInt(1, limit);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            ids.add(rs.getLong(1));
          }
        }
      }
      return ids;
    });
  }

  private int raise(Instant now, int limit, Long only, List<Webhook> defaults) {
    return db.tx(c -> {
      List<Stored> events = new ArrayList<>();
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT e.id, e.run_id, e.kind, e.task, e.detail, r.namespace, r.job_name"
                  + " FROM run_events e LEFT JOIN runs r ON r.id = e.run_id"
                  + " WHERE e.id IN (SELECT id FROM run_events"
                  + (only == null ? "" : " WHERE id = ?")
                  + " ORDER BY id LIMIT ?"
                  + db.dialect().skipLocked()
                  + ") ORDER BY e.id")) {
        int p = 1;
        if (only != null) {
          ps.setLong(p++, only);
        }
        ps.setInt(p, limit);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            events.add(
                new Stored(
                    rs.getLong(1),
                    new Event(
                        rs.getLong(2),
                        AlertKind.valueOf(rs.getString(3)),
                        rs.getString(4),
                        rs.getString(5)),
                    rs.getString(6) == null ? null : new JobKey(rs.getString(6), rs.getString(7))));
          }
        }
      }
      if (events.isEmpty()) {
        return 0;
      }
      Map<JobKey, List<Webhook>> hooks = new HashMap<>();
      int made = 0;
      try (PreparedStatement insert =
          c.prepareStatement(
              "INSERT INTO alerts (run_id, namespace, job_name, kind, task, detail, url, format,"
                  + " state, attempts, next_attempt_at, created_at)"
                  + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'PENDING', 0, ?, ?)"
                  + " ON CONFLICT (run_id, kind, url) DO NOTHING")) {
        for (Stored stored : events) {
          JobKey key = stored.job();
          if (key == null) {
            continue; // the run is gone with its job
          }
          Event e = stored.event();
          List<Webhook> targets = hooks.get(key);
          if (targets == null) {
            Optional<JobRecord> job = jobs.find(c, key, false);
            List<Webhook> own =
                job.map(j -> j.manifest().spec().alerts().webhooks()).orElse(List.of());
            targets = own.isEmpty() ? defaults : own;
            hooks.put(key, targets);
          }
          AlertKind kind = e.kind();
          for (Webhook w : targets) {
            if (!w.on().contains(kind)) {
              continue;
            }
            insert.setLong(1, e.runId());
            insert.setString(2, key.namespace());
            insert.setString(3, key.name());
            insert.setString(4, kind.name());
            insert.setString(5, e.task());
            insert.setString(6, e.detail());
            insert.setString(7, w.url().toString());
            insert.setString(8, w.format().name());
            insert.setLong(9, now.toEpochMilli());
            insert.setLong(10, now.toEpochMilli());
            made += insert.executeUpdate();
          }
        }
      }
      List<Long> ids = events.stream().map(Stored::id).toList();
      try (PreparedStatement ps =
          c.prepareStatement("DELETE FROM run_events WHERE " + db.idIn("id", ids.size()))) {
        db.bindIds(ps, 1, ids);
        ps.executeUpdate();
      }
      return made;
    });
  }

  /**
   * Records an SLA_EXCEEDED event for each active run (an attempt queued or running) of a job with
   * an SLA that has gone on longer than it (from its fire time, or its creation if later) and was
   * not alerted on yet. Returns how many.
   */
  int findRunsPastSla(Instant now) {
    return db.tx(c -> {
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO run_events (run_id, kind, task, detail, at)"
                  + " SELECT DISTINCT r.id, 'SLA_EXCEEDED', CAST(NULL AS TEXT),"
                  + " 'still running past its SLA', ? FROM jobs j"
                  + " JOIN attempts a ON a.namespace = j.namespace AND a.job_name = j.name"
                  + " AND a.state IN ('QUEUED', 'RUNNING')"
                  + " JOIN runs r ON r.id = a.run_id"
                  + " WHERE j.sla_millis IS NOT NULL"
                  + " AND (CASE WHEN r.fire_time > r.created_at THEN r.fire_time"
                  + " ELSE r.created_at END) + j.sla_millis < ?"
                  + " AND NOT EXISTS (SELECT 1 FROM alerts al WHERE al.run_id = r.id"
                  + " AND al.kind = 'SLA_EXCEEDED')"
                  + " AND NOT EXISTS (SELECT 1 FROM run_events e WHERE e.run_id = r.id"
                  + " AND e.kind = 'SLA_EXCEEDED')")) {
        ps.setLong(1, now.toEpochMilli());
        ps.setLong(2, now.toEpochMilli());
        return ps.executeUpdate();
      }
    });
  }

  /**
   * The active runs (an attempt queued or running) of jobs with a {@code spec.deadline} that have
   * no slaAtRisk alert or event yet.
   */
  List<dev.kairos.store.RunRecord> runsWithDeadlines() {
    return db.read(c -> {
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT "
                  + RunQueries.COLUMNS.replaceAll("(^|, )", "$1r.")
                  + " FROM runs r WHERE r.id IN (SELECT a.run_id FROM jobs j JOIN attempts a"
                  + " ON a.namespace = j.namespace AND a.job_name = j.name"
                  + " AND a.state IN ('QUEUED', 'RUNNING') WHERE j.deadline IS NOT NULL)"
                  + " AND NOT EXISTS (SELECT 1 FROM alerts al WHERE al.run_id = r.id"
                  + " AND al.kind = 'SLA_AT_RISK')"
                  + " AND NOT EXISTS (SELECT 1 FROM run_events e WHERE e.run_id = r.id"
                  + " AND e.kind = 'SLA_AT_RISK')")) {
        List<dev.kairos.store.RunRecord> runs = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            runs.add(RunQueries.run(rs));
          }
        }
        return runs;
      }
    });
  }

  /** Records an event of {@code kind} for a run, unless one was recorded or alerted already. */
  boolean raise(long runId, AlertKind kind, String detail, Instant now) {
    return db.tx(c -> {
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT 1 FROM alerts WHERE run_id = ? AND kind = ? UNION ALL"
                  + " SELECT 1 FROM run_events WHERE run_id = ? AND kind = ?")) {
        ps.setLong(1, runId);
        ps.setString(2, kind.name());
        ps.setLong(3, runId);
        ps.setString(4, kind.name());
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            return false;
          }
        }
      }
      record(c, List.of(new Event(runId, kind, null, detail)), now);
      return true;
    });
  }

  /**
   * Takes up to {@code limit} deliveries that are due: each is counted as tried and not due again
   * for {@code lease}, so another replica does not send it meanwhile.
   */
  List<AlertRecord> claim(Instant now, int limit, Duration lease) {
    return db.tx(c -> {
      try (PreparedStatement ps =
          c.prepareStatement(
              "UPDATE alerts SET attempts = attempts + 1, next_attempt_at = ? WHERE id IN ("
                  + "SELECT id FROM alerts WHERE state = 'PENDING' AND next_attempt_at <= ?"
                  + " ORDER BY next_attempt_at LIMIT ?"
                  + db.dialect().skipLocked()
                  + ") RETURNING *")) {
        ps.setLong(1, now.plus(lease).toEpochMilli());
        ps.setLong(2, now.toEpochMilli());
        ps.setInt(3, limit);
        return list(ps);
      }
    });
  }

  void delivered(long id, Instant now) {
    update(
        "UPDATE alerts SET state = 'DELIVERED', delivered_at = ?, next_attempt_at = NULL,"
            + " last_error = NULL WHERE id = ? AND state = 'PENDING'",
        now.toEpochMilli(),
        null,
        id);
  }

  /** A failed try: due again at {@code retryAt}, or FAILED for good when that is null. */
  void failed(long id, String error, Instant retryAt) {
    if (retryAt == null) {
      update(
          "UPDATE alerts SET state = 'FAILED', next_attempt_at = NULL, last_error = ?"
              + " WHERE id = ? AND state = 'PENDING'",
          null,
          clip(java.util.Objects.requireNonNullElse(error, "failed")),
          id);
    } else {
      update(
          "UPDATE alerts SET next_attempt_at = ?, last_error = ? WHERE id = ? AND state = 'PENDING'",
          retryAt.toEpochMilli(),
          clip(java.util.Objects.requireNonNullElse(error, "failed")),
          id);
    }
  }

  private void update(String sql, Long time, String text, long id) {
    db.tx(c -> {
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        int i = 1;
        if (time != null) {
          ps.setLong(i++, time);
        }
        if (text != null) {
          ps.setString(i++, text);
        }
        ps.setLong(i, id);
        ps.executeUpdate();
      }
      return null;
    });
  }

  List<AlertRecord> list(AlertQuery q) {
    return db.read(c -> {
      StringBuilder sql = new StringBuilder("SELECT * FROM alerts WHERE 1 = 1");
      List<Object> args = new ArrayList<>();
      if (q.job() != null) {
        sql.append(" AND namespace = ? AND job_name = ?");
        args.add(q.job().namespace());
        args.add(q.job().name());
      }
      if (q.runId() != null) {
        sql.append(" AND run_id = ?");
        args.add(q.runId());
      }
      if (q.state() != null) {
        sql.append(" AND state = ?");
        args.add(q.state().name());
      }
      if (q.beforeId() != null) {
        sql.append(" AND id < ?");
        args.add(q.beforeId());
      }
      if (!q.namespaces().isEmpty()) {
        sql.append(" AND namespace IN (")
            .append(Database.placeholders(q.namespaces().size()))
            .append(")");
        args.addAll(q.namespaces());
      }
      sql.append(" ORDER BY id DESC LIMIT ?");
      args.add(q.limit());
      try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
        for (int i = 0; i < args.size(); i++) {
          ps.setObject(i + 1, args.get(i));
        }
        return list(ps);
      }
    });
  }

  private static List<AlertRecord> list(PreparedStatement ps) throws SQLException {
    List<AlertRecord> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(
            new AlertRecord(
                rs.getLong("id"),
                rs.getLong("run_id"),
                rs.getString("namespace"),
                rs.getString("job_name"),
                AlertKind.valueOf(rs.getString("kind")),
                rs.getString("task"),
                rs.getString("detail"),
                rs.getString("url"),
                Webhook.Format.valueOf(rs.getString("format")),
                AlertRecord.State.valueOf(rs.getString("state")),
                rs.getInt("attempts"),
                instant(rs, "next_attempt_at"),
                rs.getString("last_error"),
                Instant.ofEpochMilli(rs.getLong("created_at")),
                instant(rs, "delivered_at")));
      }
    }
    return out;
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : Instant.ofEpochMilli(v);
  }

  private static String clip(String s) {
    return s == null || s.length() <= 2_000 ? s : s.substring(0, 2_000);
  }
}
