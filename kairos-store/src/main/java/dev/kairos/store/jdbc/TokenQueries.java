package dev.kairos.store.jdbc;

import dev.kairos.store.TokenInfo;
import dev.kairos.store.TokenRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * API tokens by the SHA-256 of their secret, with their limits; worker credentials are tokens bound
 * to a worker id. Lists are stored comma-separated (names are DNS labels, without commas).
 */
final class TokenQueries {
  private static final String COLUMNS =
      "name, role, namespaces, pools, clusters, expires_at, worker_id";

  private final Database db;

  TokenQueries(Database db) {
    this.db = db;
  }

  void save(String sha256Hex, TokenRecord token, Instant now) {
    db.tx(c -> {
      insert(c, sha256Hex, token, now, true);
      return null;
    });
  }

  /**
   * Stores the credential of the worker it names, in place of any earlier one of that worker: a
   * worker that enrols again (a restart) leaves its old credential useless.
   */
  void enrol(String sha256Hex, TokenRecord credential, Instant now) {
    db.tx(c -> {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM tokens WHERE worker_id = ?")) {
        ps.setString(1, credential.workerId());
        ps.executeUpdate();
      }
      insert(c, sha256Hex, credential, now, false);
      return null;
    });
  }

  private static void insert(
      Connection c, String sha256Hex, TokenRecord token, Instant now, boolean replace)
      throws SQLException {
    String sql =
        "INSERT INTO tokens (sha256, "
            + COLUMNS
            + ", created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
            + (replace
                ? " ON CONFLICT (sha256) DO UPDATE SET name = excluded.name, role = excluded.role,"
                    + " namespaces = excluded.namespaces, pools = excluded.pools,"
                    + " clusters = excluded.clusters, expires_at = excluded.expires_at,"
                    + " worker_id = excluded.worker_id"
                : "");
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, sha256Hex);
      ps.setString(2, token.name());
      ps.setString(3, token.role().name());
      ps.setString(4, join(token.namespaces()));
      ps.setString(5, join(token.pools()));
      ps.setString(6, join(token.clusters()));
      if (token.expiresAt() == null) {
        ps.setNull(7, Types.BIGINT);
      } else {
        ps.setLong(7, token.expiresAt().toEpochMilli());
      }
      ps.setString(8, token.workerId());
      ps.setLong(9, now.toEpochMilli());
      ps.executeUpdate();
    }
  }

  Optional<TokenRecord> find(String sha256Hex) {
    return db.read(c -> {
      try (PreparedStatement ps =
          c.prepareStatement("SELECT " + COLUMNS + " FROM tokens WHERE sha256 = ?")) {
        ps.setString(1, sha256Hex);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(record(rs)) : Optional.empty();
        }
      }
    });
  }

  List<TokenInfo> list() {
    return db.read(c -> {
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT "
                  + COLUMNS
                  + ", created_at FROM tokens ORDER BY name, worker_id IS NOT NULL, worker_id,"
                  + " created_at")) {
        List<TokenInfo> list = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            list.add(new TokenInfo(record(rs), Instant.ofEpochMilli(rs.getLong("created_at"))));
          }
        }
        return list;
      }
    });
  }

  /** Deletes the tokens of this name, worker credentials enrolled with it included. */
  int revoke(String name) {
    return db.tx(c -> {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM tokens WHERE name = ?")) {
        ps.setString(1, name);
        return ps.executeUpdate();
      }
    });
  }

  /**
   * Replaces the tokens named {@code name} (not the worker credentials enrolled with them) with one
   * new token with the limits of the newest of them, in one transaction; empty when there is no
   * such token. Credentials stay valid: their workers need not enrol again.
   */
  Optional<TokenRecord> rotate(String name, String newSha256Hex, Instant now) {
    return db.tx(c -> {
      TokenRecord token = null;
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT "
                  + COLUMNS
                  + " FROM tokens WHERE name = ? AND worker_id IS NULL"
                  + " ORDER BY created_at DESC LIMIT 1")) {
        ps.setString(1, name);
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            token = record(rs);
          }
        }
      }
      if (token == null) {
        return Optional.empty();
      }
      try (PreparedStatement ps =
          c.prepareStatement("DELETE FROM tokens WHERE name = ? AND worker_id IS NULL")) {
        ps.setString(1, name);
        ps.executeUpdate();
      }
      insert(c, newSha256Hex, token, now, false);
      return Optional.of(token);
    });
  }

  private static TokenRecord record(ResultSet rs) throws SQLException {
    long expires = rs.getLong("expires_at");
    Instant expiresAt = rs.wasNull() ? null : Instant.ofEpochMilli(expires);
    return new TokenRecord(
        rs.getString("name"),
        TokenRecord.Role.valueOf(rs.getString("role")),
        split(rs.getString("namespaces")),
        split(rs.getString("pools")),
        split(rs.getString("clusters")),
        expiresAt,
        rs.getString("worker_id"));
  }

  private static String join(List<String> items) {
    return items.isEmpty() ? null : String.join(",", items);
  }

  private static List<String> split(String text) {
    return text == null || text.isEmpty() ? List.of() : Arrays.asList(text.split(","));
  }
}
