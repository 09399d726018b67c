package dev.kairos.store.jdbc;

import dev.kairos.core.protocol.Allocation;
import dev.kairos.core.protocol.Capacity;
import dev.kairos.core.protocol.WorkerInfo;
import dev.kairos.store.PoolBacklog;
import dev.kairos.store.WorkerRecord;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The workers that polled (what they declared, when last heard from) and the queue's backlog. */
final class WorkerQueries {
  private final Database db;

  WorkerQueries(Database db) {
    this.db = db;
  }

  void record(WorkerInfo w, Instant now) {
    db.tx(c -> {
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO workers (worker_id, pool, cluster, labels_json, cpu_millis, memory_bytes,"
                  + " slots, started_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                  + " ON CONFLICT (worker_id) DO UPDATE SET pool = excluded.pool,"
                  + " cluster = excluded.cluster, labels_json = excluded.labels_json,"
                  + " cpu_millis = excluded.cpu_millis, memory_bytes = excluded.memory_bytes,"
                  + " slots = excluded.slots, last_seen_at = excluded.last_seen_at")) {
        Capacity cap = w.capacity();
        ps.setString(1, w.workerId());
        ps.setString(2, w.pool());
        ps.setString(3, w.cluster());
        ps.setString(4, Json.write(w.labels()));
        ps.setLong(5, cap.millicores());
        ps.setLong(6, cap.memoryBytes());
        ps.setInt(7, cap.slots());
        ps.setLong(8, now.toEpochMilli());
        ps.setLong(9, now.toEpochMilli());
        ps.executeUpdate();
      }
      return null;
    });
  }

  void touch(String workerId, Instant now) {
    db.tx(c -> {
      try (PreparedStatement ps =
          c.prepareStatement(
              "UPDATE workers SET last_seen_at = ? WHERE worker_id = ? AND last_seen_at < ?")) {
        ps.setLong(1, now.toEpochMilli());
        ps.setString(2, workerId);
        ps.setLong(3, now.toEpochMilli());
        ps.executeUpdate();
      }
      return null;
    });
  }

  /** A worker that stopped: it is no longer live, whatever its last poll. */
  void forget(String workerId) {
    db.tx(c -> {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM workers WHERE worker_id = ?")) {
        ps.setString(1, workerId);
        ps.executeUpdate();
      }
      return null;
    });
  }

  int prune(Instant before) {
    return db.tx(c -> {
      try (PreparedStatement ps =
          c.prepareStatement("DELETE FROM workers WHERE last_seen_at < ?")) {
        ps.setLong(1, before.toEpochMilli());
        return ps.executeUpdate();
      }
    });
  }

  /** Workers heard from since {@code since}, with what their running attempts request. */
  List<WorkerRecord> live(Instant since) {
    return db.read(c -> {
      List<WorkerRecord> list = new ArrayList<>();
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT w.worker_id, w.pool, w.cluster, w.labels_json, w.cpu_millis, w.memory_bytes,"
                  + " w.slots, w.started_at, w.last_seen_at, COALESCE(u.cpu, 0) AS used_cpu,"
                  + " COALESCE(u.mem, 0) AS used_mem, COALESCE(u.n, 0) AS running"
                  + " FROM workers w LEFT JOIN (SELECT worker_id, SUM(cpu_millis) AS cpu,"
                  + " SUM(memory_bytes) AS mem, COUNT(*) AS n FROM attempts WHERE state = 'RUNNING'"
                  + " GROUP BY worker_id) u ON u.worker_id = w.worker_id"
                  + " WHERE w.last_seen_at >= ? ORDER BY w.pool, w.cluster, w.worker_id")) {
        ps.setLong(1, since.toEpochMilli());
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            WorkerInfo info =
                new WorkerInfo(
                    rs.getString("worker_id"),
                    rs.getString("pool"),
                    rs.getString("cluster"),
                    Json.read(rs.getString("labels_json")),
                    new Capacity(
                        rs.getLong("cpu_millis"), rs.getLong("memory_bytes"), rs.getInt("slots")));
            list.add(
                new WorkerRecord(
                    info,
                    Instant.ofEpochMilli(rs.getLong("started_at")),
                    Instant.ofEpochMilli(rs.getLong("last_seen_at")),
                    new Allocation(rs.getLong("used_cpu"), rs.getLong("used_mem")),
                    rs.getInt("running")));
          }
        }
      }
      return list;
    });
  }

  /** Attempts due by {@code now} and not claimed, per pool and target cluster. */
  List<PoolBacklog> backlog(Instant now) {
    return db.read(c -> {
      List<PoolBacklog> list = new ArrayList<>();
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT pool, cluster, COUNT(*) AS queued, MIN(not_before) AS oldest FROM attempts"
                  + " WHERE state = 'QUEUED' AND not_before <= ? GROUP BY pool, cluster"
                  + " ORDER BY pool, cluster")) {
        ps.setLong(1, now.toEpochMilli());
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            list.add(
                new PoolBacklog(
                    rs.getString("pool"),
                    rs.getString("cluster"),
                    rs.getLong("queued"),
                    Instant.ofEpochMilli(rs.getLong("oldest"))));
          }
        }
      }
      return list;
    });
  }
}
