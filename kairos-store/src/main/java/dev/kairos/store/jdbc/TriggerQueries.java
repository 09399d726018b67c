package dev.kairos.store.jdbc;

import dev.kairos.core.alert.AlertKind;
import dev.kairos.core.run.RunState;
import dev.kairos.core.spec.JobKey;
import dev.kairos.store.JobRecord;
import dev.kairos.store.NewRun;
import dev.kairos.store.RunRecord;
import dev.kairos.store.TriggerPlan;
import dev.kairos.store.TriggerPlanner;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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

  /**
   * All due jobs in one transaction and a handful of statements, however many are due: their active
   * runs in one query, every planned run in one multi-row insert, every job's next fire in one
   * update. That is what keeps thousands of jobs due on the same second on time.
   */
  List<RunRecord> fireDue(Instant now, Duration ahead, int maxJobs, TriggerPlanner planner) {
    return fireDue(now, ahead, maxJobs, planner, null);
  }

  /** {@link #fireDue} for one job, if it is due: what a batch that failed is retried as. */
  List<RunRecord> fireDue(JobKey job, Instant now, Duration ahead, TriggerPlanner planner) {
    return fireDue(now, ahead, 1, planner, job);
  }

  /** The jobs {@link #fireDue} would take now, without locking them. */
  List<JobKey> due(Instant now, Duration ahead, int maxJobs) {
    Instant horizon = now.plus(ahead);
    return db.read(c -> {
      List<JobKey> keys = new ArrayList<>();
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT namespace, name FROM jobs WHERE " + DUE + " ORDER BY next_fire_at LIMIT ?")) {
        ps.setLong(1, horizon.toEpochMilli());
        ps.setLong(2, now.toEpochMilli());
        ps.setInt(3, maxJobs);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            keys.add(new JobKey(rs.getString(1), rs.getString(2)));
          }
        }
      }
      return keys;
    });
  }

  /** Due jobs: at their fire time, or up to the horizon (first parameter) if fired ahead. */
  private static final String DUE =
      "next_fire_at IS NOT NULL AND NOT suspended"
          + " AND ((fire_ahead = TRUE AND next_fire_at <= ?)"
          + " OR (fire_ahead = FALSE AND next_fire_at <= ?))";

  private List<RunRecord> fireDue(
      Instant now, Duration ahead, int maxJobs, TriggerPlanner planner, JobKey only) {
    Instant horizon = now.plus(ahead);
    return db.tx(c -> {
      List<JobRecord> due = lockDue(c, now, horizon, maxJobs, only);
      if (due.isEmpty()) {
        return List.of();
      }
      Map<JobKey, List<RunRecord>> active =
          runs.active(
              c, due.stream().filter(planner::needsActiveRuns).map(JobRecord::key).toList());
      Map<JobKey, JobRecord> byKey = new HashMap<>();
      Map<String, List<Long>> cancelByReason = new HashMap<>();
      List<NewRun> toCreate = new ArrayList<>();
      List<Advance> advances = new ArrayList<>();
      for (JobRecord job : due) {
        byKey.put(job.key(), job);
        TriggerPlan plan =
            planner.plan(job, active.getOrDefault(job.key(), List.of()), now, horizon);
        if (!plan.cancelRunIds().isEmpty()) {
          cancelByReason
              .computeIfAbsent(plan.cancelReason(), r -> new ArrayList<>())
              .addAll(plan.cancelRunIds());
        }
        toCreate.addAll(plan.runs());
        long misses = plan.unrecordedMisses();
        for (NewRun r : plan.runs()) {
          if (r.state() == RunState.MISSED) {
            misses++;
          }
        }
        advances.add(new Advance(job, plan.nextFireAt(), misses));
      }
      for (Map.Entry<String, List<Long>> e : cancelByReason.entrySet()) {
        runs.cancel(c, e.getValue(), e.getKey(), now);
      }
      List<RunRecord> made = toCreate.isEmpty() ? List.of() : runs.create(c, toCreate, now, byKey);
      advance(c, advances);
      // only rows this transaction made (a replica may have made the same fire already)
      Instant t = now.truncatedTo(ChronoUnit.MILLIS);
      List<RunRecord> mine = made.stream().filter(r -> !r.createdAt().isBefore(t)).toList();
      AlertQueries.record(
          c,
          mine.stream()
              .filter(r -> r.state() == RunState.MISSED)
              .map(r -> new AlertQueries.Event(r.id(), AlertKind.FIRE_MISSED, null, r.reason()))
              .toList(),
          now);
      return mine;
    });
  }

  private record Advance(JobRecord job, Instant next, long misses) {}

  /** Due jobs (or {@code only}, if due): at their fire time, or up to the horizon if ahead. */
  private List<JobRecord> lockDue(
      Connection c, Instant now, Instant horizon, int maxJobs, JobKey only) throws SQLException {
    List<JobRecord> due = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT "
                + JobQueries.COLUMNS
                + " FROM jobs WHERE "
                + DUE
                + (only == null ? "" : " AND namespace = ? AND name = ?")
                + " ORDER BY next_fire_at LIMIT ?"
                + db.dialect().skipLocked())) {
      int i = 1;
      ps.setLong(i++, horizon.toEpochMilli());
      ps.setLong(i++, now.toEpochMilli());
      if (only != null) {
        ps.setString(i++, only.namespace());
        ps.setString(i++, only.name());
      }
      ps.setInt(i, maxJobs);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          due.add(jobs.job(rs));
        }
      }
    }
    return due;
  }

  private static void advance(Connection c, List<Advance> advances) throws SQLException {
    for (int from = 0; from < advances.size(); from += 500) {
      List<Advance> chunk = advances.subList(from, Math.min(advances.size(), from + 500));
      String values =
          Database.valuesRows(chunk.size(), "TEXT", "TEXT", "BIGINT", "BIGINT", "BIGINT");
      try (PreparedStatement ps =
          c.prepareStatement(
              "UPDATE jobs SET next_fire_at = v.column3, missed_fires = missed_fires + v.column4"
                  + " FROM (VALUES "
                  + values
                  + ") AS v WHERE jobs.namespace = v.column1"
                  + " AND jobs.name = v.column2 AND jobs.version = v.column5")) {
        int i = 1;
        for (Advance a : chunk) {
          ps.setString(i++, a.job().key().namespace());
          ps.setString(i++, a.job().key().name());
          Database.setNullableLong(ps, i++, JobQueries.millis(a.next()));
          ps.setLong(i++, a.misses());
          ps.setLong(i++, a.job().version());
        }
        ps.executeUpdate();
      }
    }
  }
}
