package dev.kairos.store.jdbc;

import dev.kairos.core.run.RunState;
import dev.kairos.store.JobRecord;
import dev.kairos.store.NewRun;
import dev.kairos.store.RunRecord;
import dev.kairos.store.TriggerPlan;
import dev.kairos.store.TriggerPlanner;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Schedule fires: due jobs are locked, planned and turned into runs in one transaction. */
final class TriggerQueries {
  private final Database db;
  private final JobQueries jobs;
  private final RunQueries runs;

  TriggerQueries(Database db, JobQueries jobs, RunQueries runs) {
    this.db = db;
    this.jobs = jobs;
    this.runs = runs;
  }

  List<RunRecord> fireDue(Instant now, int maxJobs, TriggerPlanner planner) {
    return db.tx(c -> {
      List<JobRecord> due = lockDue(c, now, maxJobs);
      List<RunRecord> created = new ArrayList<>();
      for (JobRecord job : due) {
        TriggerPlan plan = planner.plan(job, runs.active(c, job.key()), now);
        runs.cancel(c, plan.cancelRunIds(), plan.cancelReason(), now);
        List<RunRecord> made = plan.runs().isEmpty() ? List.of() : runs.create(c, plan.runs(), now);
        long misses = plan.unrecordedMisses();
        for (NewRun r : plan.runs()) {
          if (r.state() == RunState.MISSED) {
            misses++;
          }
        }
        advance(c, job, plan.nextFireAt(), misses);
        // only rows this transaction made (a replica may have made the same fire already)
        for (RunRecord r : made) {
          if (!r.createdAt().isBefore(now.truncatedTo(java.time.temporal.ChronoUnit.MILLIS))) {
            created.add(r);
          }
        }
      }
      return created;
    });
  }

  private List<JobRecord> lockDue(Connection c, Instant now, int maxJobs) throws SQLException {
    List<JobRecord> due = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT "
                + JobQueries.COLUMNS
                + " FROM jobs WHERE next_fire_at IS NOT NULL"
                + " AND NOT suspended AND next_fire_at <= ? ORDER BY next_fire_at LIMIT ?"
                + db.dialect().skipLocked())) {
      ps.setLong(1, now.toEpochMilli());
      ps.setInt(2, maxJobs);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          due.add(jobs.job(rs));
        }
      }
    }
    return due;
  }

  private static void advance(Connection c, JobRecord job, Instant next, long misses)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE jobs SET next_fire_at = ?, missed_fires = missed_fires + ?"
                + " WHERE namespace = ? AND name = ? AND version = ?")) {
      Database.setNullableLong(ps, 1, JobQueries.millis(next));
      ps.setLong(2, misses);
      ps.setString(3, job.key().namespace());
      ps.setString(4, job.key().name());
      ps.setLong(5, job.version());
      ps.executeUpdate();
    }
  }
}
