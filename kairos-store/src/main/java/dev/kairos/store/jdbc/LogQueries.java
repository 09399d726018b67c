package dev.kairos.store.jdbc;

import dev.kairos.core.protocol.LogChunk;
import dev.kairos.store.TokenInfo;
import dev.kairos.store.TokenRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** Attempt output and API tokens. */
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
    chunks.forEach(ch -> ids.add(ch.attemptId()));
    return db.tx(c -> {
      List<Long> foreign = new ArrayList<>();
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT id, worker_id FROM attempts WHERE " + db.idIn("id", ids.size()))) {
        db.bindIds(ps, 1, ids);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            if (!workerId.equals(rs.getString(2))) {
              foreign.add(rs.getLong(1));
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

  void saveToken(String sha256Hex, TokenRecord token, Instant now) {
    db.tx(c -> {
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO tokens (sha256, name, role, created_at) VALUES (?, ?, ?, ?)"
                  + " ON CONFLICT (sha256) DO UPDATE SET name = excluded.name, role = excluded.role")) {
        ps.setString(1, sha256Hex);
        ps.setString(2, token.name());
        ps.setString(3, token.role().name());
        ps.setLong(4, now.toEpochMilli());
        ps.executeUpdate();
      }
      return null;
    });
  }

  Optional<TokenRecord> findToken(String sha256Hex) {
    return db.read(c -> {
      try (PreparedStatement ps =
          c.prepareStatement("SELECT name, role FROM tokens WHERE sha256 = ?")) {
        ps.setString(1, sha256Hex);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next()
              ? Optional.of(
                  new TokenRecord(rs.getString(1), TokenRecord.Role.valueOf(rs.getString(2))))
              : Optional.empty();
        }
      }
    });
  }

  List<TokenInfo> listTokens() {
    return db.read(c -> {
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT name, role, created_at FROM tokens ORDER BY name, created_at")) {
        List<TokenInfo> list = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            list.add(
                new TokenInfo(
                    rs.getString(1),
                    TokenRecord.Role.valueOf(rs.getString(2)),
                    Instant.ofEpochMilli(rs.getLong(3))));
          }
        }
        return list;
      }
    });
  }

  int revokeTokens(String name) {
    return db.tx(c -> {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM tokens WHERE name = ?")) {
        ps.setString(1, name);
        return ps.executeUpdate();
      }
    });
  }

  /**
   * Replaces the tokens named {@code name} with one new token of the same role (the role of the
   * newest of them), in one transaction; empty when there is no token of that name.
   */
  Optional<TokenRecord.Role> rotateToken(String name, String newSha256Hex, Instant now) {
    return db.tx(c -> {
      TokenRecord.Role role = null;
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT role FROM tokens WHERE name = ? ORDER BY created_at DESC LIMIT 1")) {
        ps.setString(1, name);
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            role = TokenRecord.Role.valueOf(rs.getString(1));
          }
        }
      }
      if (role == null) {
        return Optional.empty();
      }
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM tokens WHERE name = ?")) {
        ps.setString(1, name);
        ps.executeUpdate();
      }
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO tokens (sha256, name, role, created_at) VALUES (?, ?, ?, ?)")) {
        ps.setString(1, newSha256Hex);
        ps.setString(2, name);
        ps.setString(3, role.name());
        ps.setLong(4, now.toEpochMilli());
        ps.executeUpdate();
      }
      return Optional.of(role);
    });
  }
}
