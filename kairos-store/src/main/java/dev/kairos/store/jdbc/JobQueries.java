package dev.kairos.store.jdbc;

import dev.kairos.core.spec.JobKey;
import dev.kairos.core.spec.JobManifest;
import dev.kairos.core.spec.JobSpec;
import dev.kairos.core.time.Saturating;
import dev.kairos.store.ApplyResult;
import dev.kairos.store.JobRecord;
import dev.kairos.store.JobVersion;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** SQL on jobs and job versions. */
final class JobQueries {
  static final String COLUMNS =
      "namespace, name, version, manifest_json, suspended, next_fire_at, missed_fires, created_at,"
          + " updated_at, schedule_error";

  private final Database db;
  private final SpecCache specs;

  JobQueries(Database db, SpecCache specs) {
    this.db = db;
    this.specs = specs;
  }

  ApplyResult apply(JobManifest m, String json, Instant nextFireAt, Instant now) {
    return db.tx(c -> {
      JobKey key = m.key();
      Optional<JobRecord> current = find(c, key, true);
      String scheduleKey = scheduleKey(m.spec());
      long t = now.toEpochMilli();
      if (current.isEmpty()) {
        try (PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO jobs (namespace, name, version, manifest_json, suspended,"
                    + " schedule_key, next_fire_at, missed_fires, created_at, updated_at,"
                    + " fire_ahead) VALUES (?, ?, 1, ?, ?, ?, ?, 0, ?, ?, ?)")) {
          ps.setString(1, key.namespace());
          ps.setString(2, key.name());
          ps.setString(3, json);
          ps.setBoolean(4, m.spec().suspend());
          ps.setString(5, scheduleKey);
          Database.setNullableLong(ps, 6, millis(nextFireAt));
          ps.setLong(7, t);
          ps.setLong(8, t);
          ps.setBoolean(9, firesAhead(m.spec()));
          ps.executeUpdate();
        }
        insertVersion(c, key, 1, json, t);
        setSla(c, key, m.spec());
        return new ApplyResult(find(c, key, false).orElseThrow(), ApplyResult.Change.CREATED);
      }
      JobRecord old = current.get();
      if (old.manifestJson().equals(json)) {
        if (old.scheduleError() == null) {
          return new ApplyResult(old, ApplyResult.Change.UNCHANGED);
        }
        // applied again after its schedule was set aside: the schedule starts again
        restartSchedule(c, key, nextFireAt, t);
        return new ApplyResult(find(c, key, false).orElseThrow(), ApplyResult.Change.UPDATED);
      }
      long version = old.version() + 1;
      JobSpec oldSpec = old.manifest().spec();
      boolean replan =
          !java.util.Objects.equals(scheduleKey(oldSpec), scheduleKey)
              || oldSpec.suspend() != m.spec().suspend()
              || old.suspended() != m.spec().suspend()
              || old.scheduleError() != null;
      try (PreparedStatement ps =
          c.prepareStatement(
              "UPDATE jobs SET version = ?, manifest_json = ?, suspended = ?, schedule_key = ?,"
                  + " fire_ahead = ?, schedule_error = NULL, next_fire_at = "
                  + (replan ? "?" : "next_fire_at")
                  + ", updated_at = ?"
                  + " WHERE namespace = ? AND name = ?")) {
        int i = 1;
        ps.setLong(i++, version);
        ps.setString(i++, json);
        ps.setBoolean(i++, m.spec().suspend());
        ps.setString(i++, scheduleKey);
        ps.setBoolean(i++, firesAhead(m.spec()));
        if (replan) {
          Database.setNullableLong(ps, i++, millis(nextFireAt));
        }
        ps.setLong(i++, t);
        ps.setString(i++, key.namespace());
        ps.setString(i, key.name());
        ps.executeUpdate();
      }
      insertVersion(c, key, version, json, t);
      setSla(c, key, m.spec());
      if (replan) {
        unfireAhead(c, key, now);
      }
      return new ApplyResult(find(c, key, false).orElseThrow(), ApplyResult.Change.UPDATED);
    });
  }

  /**
   * The job's alerts.sla (where the alert duty looks for runs past it) and the event types it
   * subscribes to (where event intake looks for jobs to start).
   */
  private static void setSla(Connection c, JobKey key, JobSpec spec) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE jobs SET sla_millis = ?, event_types = ?, deadline = ?"
                + " WHERE namespace = ? AND name = ?")) {
      // bounded so that created_at + sla_millis cannot overflow in SQL, whatever was stored
      Database.setNullableLong(
          ps,
          1,
          spec.alerts().sla() == null
              ? null
              : Math.min(Saturating.millis(spec.alerts().sla()), Saturating.LATEST.toEpochMilli()));
      ps.setString(2, EventQueries.eventTypes(spec));
      ps.setString(3, spec.deadline() == null ? null : spec.deadline().toString());
      ps.setString(4, key.namespace());
      ps.setString(5, key.name());
      ps.executeUpdate();
    }
  }

  /** Whether the job's fires are created ahead of their time (see FirePlanner). */
  private static boolean firesAhead(JobSpec spec) {
    return !spec.concurrencyPolicy().dependsOnActiveRuns();
  }

  /**
   * Removes the runs fired ahead for fire times still to come, when the schedule changed or the job
   * was suspended: those fires no longer happen. A run already claimed (possible only with clocks
   * that disagree) is left to run.
   */
  private static void unfireAhead(Connection c, JobKey key, Instant now) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "DELETE FROM runs WHERE namespace = ? AND job_name = ? AND fire_time > ?"
                + " AND trigger_kind = 'SCHEDULE' AND started_at IS NULL AND finished_at IS NULL")) {
      ps.setString(1, key.namespace());
      ps.setString(2, key.name());
      ps.setLong(3, now.toEpochMilli());
      ps.executeUpdate();
    }
  }

  private static String scheduleKey(JobSpec spec) {
    return spec.schedule() == null ? null : spec.schedule() + "|" + spec.timeZone().getId();
  }

  private static void insertVersion(Connection c, JobKey key, long version, String json, long t)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO job_versions (namespace, name, version, manifest_json, created_at)"
                + " VALUES (?, ?, ?, ?, ?)")) {
      ps.setString(1, key.namespace());
      ps.setString(2, key.name());
      ps.setLong(3, version);
      ps.setString(4, json);
      ps.setLong(5, t);
      ps.executeUpdate();
    }
  }

  Optional<JobRecord> find(JobKey key) {
    return db.read(c -> find(c, key, false));
  }

  Optional<JobRecord> find(Connection c, JobKey key, boolean forUpdate) throws SQLException {
    String lock = forUpdate && !db.dialect().singleWriter() ? " FOR UPDATE" : "";
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT " + COLUMNS + " FROM jobs WHERE namespace = ? AND name = ?" + lock)) {
      ps.setString(1, key.namespace());
      ps.setString(2, key.name());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(job(rs)) : Optional.empty();
      }
    }
  }

  List<JobRecord> list(String namespace) {
    return db.read(c -> {
      String sql =
          "SELECT "
              + COLUMNS
              + " FROM jobs"
              + (namespace == null ? "" : " WHERE namespace = ?")
              + " ORDER BY namespace, name";
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        if (namespace != null) {
          ps.setString(1, namespace);
        }
        List<JobRecord> jobs = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            jobs.add(job(rs));
          }
        }
        return jobs;
      }
    });
  }

  /** The job's versions, newest first (at most {@code limit}). */
  List<JobVersion> versions(JobKey key, int limit) {
    return db.read(c -> {
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT version, created_at FROM job_versions WHERE namespace = ? AND name = ?"
                  + " ORDER BY version DESC LIMIT ?")) {
        ps.setString(1, key.namespace());
        ps.setString(2, key.name());
        ps.setInt(3, limit);
        List<JobVersion> list = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            list.add(new JobVersion(rs.getLong(1), Instant.ofEpochMilli(rs.getLong(2))));
          }
        }
        return list;
      }
    });
  }

  Optional<JobManifest> version(JobKey key, long version) {
    return db.read(c -> version(c, key, version));
  }

  Optional<JobManifest> version(Connection c, JobKey key, long version) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT manifest_json FROM job_versions WHERE namespace = ? AND name = ?"
                + " AND version = ?")) {
      ps.setString(1, key.namespace());
      ps.setString(2, key.name());
      ps.setLong(3, version);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(specs.manifest(rs.getString(1))) : Optional.empty();
      }
    }
  }

  boolean delete(JobKey key) {
    return db.tx(c -> {
      try (PreparedStatement ps =
          c.prepareStatement("DELETE FROM jobs WHERE namespace = ? AND name = ?")) {
        ps.setString(1, key.namespace());
        ps.setString(2, key.name());
        return ps.executeUpdate() > 0;
      }
    });
  }

  private static void restartSchedule(Connection c, JobKey key, Instant next, long now)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE jobs SET next_fire_at = ?, schedule_error = NULL, updated_at = ?"
                + " WHERE namespace = ? AND name = ?")) {
      Database.setNullableLong(ps, 1, millis(next));
      ps.setLong(2, now);
      ps.setString(3, key.namespace());
      ps.setString(4, key.name());
      ps.executeUpdate();
    }
  }

  Optional<JobRecord> setSuspended(JobKey key, boolean suspended, Instant next, Instant now) {
    return db.tx(c -> {
      try (PreparedStatement ps =
          c.prepareStatement(
              "UPDATE jobs SET suspended = ?, next_fire_at = ?, updated_at = ?,"
                  + " schedule_error = NULL WHERE namespace = ? AND name = ?")) {
        ps.setBoolean(1, suspended);
        Database.setNullableLong(ps, 2, suspended ? null : millis(next));
        ps.setLong(3, now.toEpochMilli());
        ps.setString(4, key.namespace());
        ps.setString(5, key.name());
        if (ps.executeUpdate() == 0) {
          return Optional.<JobRecord>empty();
        }
      }
      if (suspended) {
        unfireAhead(c, key, now);
      }
      return find(c, key, false);
    });
  }

  /**
   * When the ticker must next look: the earliest next fire of the jobs fired at their time, or
   * {@code ahead} before the earliest of those fired ahead. Two probes of the (fire_ahead,
   * next_fire_at) index, whatever the number of jobs.
   */
  Optional<Instant> nextFireTime(Duration ahead) {
    return db.read(c -> {
      Long onTime = minNextFire(c, false);
      Long early = minNextFire(c, true);
      Optional<Long> wake = Optional.ofNullable(early).map(t -> t - ahead.toMillis());
      if (onTime != null) {
        wake = Optional.of(wake.map(t -> Math.min(t, onTime)).orElse(onTime));
      }
      return wake.map(Instant::ofEpochMilli);
    });
  }

  private static Long minNextFire(Connection c, boolean fireAhead) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT MIN(next_fire_at) AS next_fire FROM jobs WHERE fire_ahead = ?"
                + " AND next_fire_at IS NOT NULL AND NOT suspended")) {
      ps.setBoolean(1, fireAhead);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return Database.nullableLong(rs, "next_fire");
      }
    }
  }

  JobRecord job(ResultSet rs) throws SQLException {
    String json = rs.getString("manifest_json");
    Long next = Database.nullableLong(rs, "next_fire_at");
    return new JobRecord(
        new JobKey(rs.getString("namespace"), rs.getString("name")),
        rs.getLong("version"),
        specs.manifest(json),
        json,
        rs.getBoolean("suspended"),
        next == null ? null : Instant.ofEpochMilli(next),
        rs.getLong("missed_fires"),
        Instant.ofEpochMilli(rs.getLong("created_at")),
        Instant.ofEpochMilli(rs.getLong("updated_at")),
        rs.getString("schedule_error"));
  }

  static Long millis(Instant t) {
    return t == null ? null : t.toEpochMilli();
  }
}
