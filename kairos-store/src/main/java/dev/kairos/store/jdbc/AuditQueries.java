package dev.kairos.store.jdbc;

import dev.kairos.store.AuditEntry;
import dev.kairos.store.AuditQuery;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The audit log: appended to by every mutating API call, read newest first. */
final class AuditQueries {
  private final Database db;

  AuditQueries(Database db) {
    this.db = db;
  }

  void record(AuditEntry e) {
    db.tx(c -> {
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO audit_log (at, token_name, method, route, path, subject, status, remote)"
                  + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
        ps.setLong(1, e.at().toEpochMilli());
        ps.setString(2, e.tokenName());
        ps.setString(3, e.method());
        ps.setString(4, e.route());
        ps.setString(5, e.path());
        ps.setString(6, e.subject());
        ps.setInt(7, e.status());
        ps.setString(8, e.remote());
        ps.executeUpdate();
      }
      return null;
    });
  }

  List<AuditEntry> list(AuditQuery q) {
    return db.read(c -> {
      StringBuilder sql = new StringBuilder("SELECT * FROM audit_log WHERE 1 = 1");
      if (q.tokenName() != null) {
        sql.append(" AND token_name = ?");
      }
      if (q.beforeId() != null) {
        sql.append(" AND id < ?");
      }
      sql.append(" ORDER BY id DESC LIMIT ?");
      try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
        int i = 1;
        if (q.tokenName() != null) {
          ps.setString(i++, q.tokenName());
        }
        if (q.beforeId() != null) {
          ps.setLong(i++, q.beforeId());
        }
        ps.setInt(i, q.limit());
        List<AuditEntry> list = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            list.add(entry(rs));
          }
        }
        return list;
      }
    });
  }

  private static AuditEntry entry(ResultSet rs) throws SQLException {
    return new AuditEntry(
        rs.getLong("id"),
        Instant.ofEpochMilli(rs.getLong("at")),
        rs.getString("token_name"),
        rs.getString("method"),
        rs.getString("route"),
        rs.getString("path"),
        rs.getString("subject"),
        rs.getInt("status"),
        rs.getString("remote"));
  }
}
