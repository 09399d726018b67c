package dev.kairos.store.jdbc;

import dev.kairos.core.spec.JobKey;
import dev.kairos.core.spec.JobManifest;
import dev.kairos.store.JobRecord;
import dev.kairos.store.RunRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs held back by their job's {@code maxActiveRuns}: created PENDING and held, queued (oldest
 * first) once the job has fewer active runs than its limit. A run is active while it has a QUEUED
 * or RUNNING attempt (see the V2 migration), which a held run never has.
 */
final class HeldRuns {
  static final String REASON = "waiting: the job has maxActiveRuns runs active";

  private final Database db;
  private final JobQueries jobs;
  private final RunQueries runs;

  HeldRuns(Database db, JobQueries jobs, RunQueries runs) {
    this.db = db;
    this.jobs = jobs;
    this.runs = runs;
  }

  /** How many more runs of {@code job} may be active now (its maxActiveRuns less its active). */
  static int room(Connection c, JobKey job, JobRecord record) throws SQLException {
    Integer max = record.manifest().spec().maxActiveRuns();
    if (max == null) {
      return Integer.MAX_VALUE;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT COUNT(DISTINCT run_id) FROM attempts WHERE namespace = ? AND job_name = ?"
                + " AND state IN ('QUEUED', 'RUNNING')")) {
      ps.setString(1, job.namespace());
      ps.setString(2, job.name());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return (int) Math.max(0, max - rs.getLong(1));
      }
    }
  }

  static boolean hasHeld(Connection c, JobKey job) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT 1 FROM runs WHERE held AND namespace = ? AND job_name = ? LIMIT 1")) {
      ps.setString(1, job.namespace());
      ps.setString(2, job.name());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  static void hold(Connection c, Database db, List<Long> runIds) throws SQLException {
    if (runIds.isEmpty()) {
      return;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE runs SET held = TRUE, reason = ? WHERE " + db.idIn("id", runIds.size()))) {
      ps.setString(1, REASON);
      db.bindIds(ps, 2, runIds);
      ps.executeUpdate();
    }
  }

  /** The jobs that have runs held back. */
  List<JobKey> waiting() {
    return db.read(c -> {
      List<JobKey> keys = new ArrayList<>();
      try (PreparedStatement ps =
              c.prepareStatement("SELECT DISTINCT namespace, job_name FROM runs WHERE held");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          keys.add(new JobKey(rs.getString(1), rs.getString(2)));
        }
      }
      return keys;
    });
  }

  /**
   * Queues the held runs of {@code job}, oldest first, as far as it has room for them (or all, if
   * it has no limit any more). Returns how many were released.
   */
  int release(JobKey job, Instant now) {
    return db.tx(c -> release(c, job, now));
  }

  private int release(Connection c, JobKey job, Instant now) throws SQLException {
    Optional<JobRecord> record = jobs.find(c, job, true);
    if (record.isEmpty()) {
      return 0; // deleted meanwhile, with its runs
    }
    int room = room(c, job, record.get());
    if (room <= 0) {
      return 0;
    }
    List<RunRecord> next = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT "
                + RunQueries.COLUMNS
                + " FROM runs WHERE held AND namespace = ? AND job_name = ? ORDER BY id LIMIT ?")) {
      ps.setString(1, job.namespace());
      ps.setString(2, job.name());
      ps.setInt(3, Math.min(room, 1_000));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          next.add(RunQueries.run(rs));
        }
      }
    }
    if (next.isEmpty()) {
      return 0;
    }
    List<RunQueries.NewAttempt> attempts = new ArrayList<>();
    for (RunRecord run : next) {
      // a run starts as the version it was created with
      JobManifest manifest = jobs.version(c, job, run.jobVersion()).orElseThrow();
      attempts.addAll(RunQueries.roots(run, manifest, now));
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE runs SET held = FALSE, reason = NULL WHERE "
                + db.idIn("id", next.size())
                + " AND state = 'PENDING'")) {
      db.bindIds(ps, 1, next.stream().map(RunRecord::id).toList());
      ps.executeUpdate();
    }
    runs.insertAttempts(c, attempts);
    return next.size();
  }
}
