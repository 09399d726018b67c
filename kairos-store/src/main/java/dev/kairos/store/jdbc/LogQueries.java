package dev.kairos.store.jdbc;

import dev.kairos.core.protocol.LogChunk;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Attempt output. */
final class LogQueries {
  private final Database db;

  LogQueries(Database db) {
    this.db = db;
  }

  void append(List<LogChunk> chunks) {
    if (chunks.isEmpty()) {
      return;
    }
    db.tx(c -> {
      insert(c, chunks);
      return null;
    });
  }

  /** {@link dev.kairos.store.Store#appendLogs(String, List)}. */
  List<Long> append(String workerId, List<LogChunk> chunks) {
    if (chunks.isEmpty()) {
      return List.of();
    }
    Set<Long> ids = new TreeSet<>();
    // the fences each attempt's chunks name: all of them must be its current claim's
    Map<Long, Set<Long>> fences = new HashMap<>();
    chunks.forEach(ch -> {
      ids.add(ch.attemptId());
      fences.computeIfAbsent(ch.attemptId(), id -> new HashSet<>()).add(ch.fence());
    });
    return db.tx(c -> {
      List<Long> foreign = new ArrayList<>();
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT id, worker_id, fence FROM attempts WHERE " + db.idIn("id", ids.size()))) {
        db.bindIds(ps, 1, ids);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            long id = rs.getLong(1);
            Set<Long> named = fences.get(id);
            if (!workerId.equals(rs.getString(2))
                || named.size() != 1
                || !named.contains(rs.getLong(3))) {
              foreign.add(id);
            }
          }
        }
      }
      if (foreign.isEmpty()) {
        insert(c, chunks);
      }
      return foreign;
    });
  }

  private static void insert(Connection c, List<LogChunk> chunks) throws SQLException {
    // chunks of attempts deleted meanwhile (job deleted) are dropped, not an error
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO attempt_logs (attempt_id, seq, stream, ts, text)"
                + " SELECT ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM attempts WHERE id = ?)"
                + " ON CONFLICT DO NOTHING")) {
      for (LogChunk chunk : chunks) {
        ps.setLong(1, chunk.attemptId());
        ps.setInt(2, chunk.seq());
        ps.setString(3, chunk.stream().equals("stderr") ? "stderr" : "stdout");
        ps.setLong(4, chunk.timestampMillis());
        ps.setString(5, chunk.text());
        ps.setLong(6, chunk.attemptId());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  List<LogChunk> ofRun(long runId) {
    return db.read(c -> {
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT l.attempt_id, l.seq, l.stream, l.ts, l.text FROM attempt_logs l"
                  + " JOIN attempts a ON a.id = l.attempt_id WHERE a.run_id = ?"
                  + " ORDER BY l.attempt_id, l.seq")) {
        ps.setLong(1, runId);
        List<LogChunk> list = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            list.add(
                new LogChunk(
                    rs.getLong(1), rs.getInt(2), rs.getString(3), rs.getLong(4), rs.getString(5)));
          }
        }
        return list;
      }
    });
  }
}
