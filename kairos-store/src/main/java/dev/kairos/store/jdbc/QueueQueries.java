package dev.kairos.store.jdbc;

import dev.kairos.core.protocol.Assignment;
import dev.kairos.core.protocol.Completion;
import dev.kairos.core.protocol.HeartbeatReply;
import dev.kairos.core.run.AttemptState;
import dev.kairos.core.run.RunAdvance;
import dev.kairos.core.run.RunAdvancer;
import dev.kairos.core.run.RunState;
import dev.kairos.core.spec.JobKey;
import dev.kairos.core.spec.JobManifest;
import dev.kairos.core.spec.TaskSpec;
import dev.kairos.store.RunRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * The queue: claiming attempts under a lease, renewing leases, recording outcomes (with retries and
 * run progress) and reaping expired leases. Every method takes a batch in a few round trips.
 */
final class QueueQueries {
  private static final int MAX_IN = 1000;

  private final Database db;
  private final RunQueries runs;
  private final SpecCache specs;

  QueueQueries(Database db, RunQueries runs, SpecCache specs) {
    this.db = db;
    this.runs = runs;
    this.specs = specs;
  }

  List<Assignment> claim(String pool, String workerId, int max, Instant now, Duration lease) {
    int n = Math.max(1, Math.min(MAX_IN, max));
    Instant expires = now.plus(lease);
    return db.tx(c -> {
      List<Assignment> claimed = new ArrayList<>(n);
      Set<Long> runIds = new HashSet<>();
      try (PreparedStatement ps =
          c.prepareStatement(
              "UPDATE attempts SET state = 'RUNNING', worker_id = ?, lease_expires_at = ?,"
                  + " started_at = ? WHERE id IN (SELECT id FROM attempts WHERE state = 'QUEUED'"
                  + " AND pool = ? AND not_before <= ? ORDER BY priority DESC, not_before, id"
                  + " LIMIT ?"
                  + db.dialect().skipLocked()
                  + ")"
                  + " RETURNING id, run_id, namespace, job_name, run_key, task_name, attempt,"
                  + " task_json")) {
        ps.setString(1, workerId);
        ps.setLong(2, expires.toEpochMilli());
        ps.setLong(3, now.toEpochMilli());
        ps.setString(4, pool);
        ps.setLong(5, now.toEpochMilli());
        ps.setInt(6, n);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            long runId = rs.getLong("run_id");
            runIds.add(runId);
            String task = rs.getString("task_name");
            claimed.add(
                new Assignment(
                    rs.getLong("id"),
                    runId,
                    rs.getString("namespace"),
                    rs.getString("job_name"),
                    rs.getInt("attempt"),
                    specs.task(rs.getString("task_json")),
                    rs.getString("run_key") + "/" + task,
                    expires));
          }
        }
      }
      if (!runIds.isEmpty()) {
        try (PreparedStatement ps =
            c.prepareStatement(
                "UPDATE runs SET state = 'RUNNING', started_at = ? WHERE id IN ("
                    + Database.placeholders(runIds.size())
                    + ") AND state = 'PENDING'")) {
          ps.setLong(1, now.toEpochMilli());
          Database.bindLongs(ps, 2, runIds);
          ps.executeUpdate();
        }
      }
      return claimed;
    });
  }

  HeartbeatReply heartbeat(String workerId, Collection<Long> ids, Instant now, Duration lease) {
    if (ids.isEmpty()) {
      return new HeartbeatReply(Set.of(), Set.of());
    }
    return db.tx(c -> {
      Set<Long> cancel = new HashSet<>();
      Set<Long> lost = new HashSet<>(ids);
      List<Long> all = List.copyOf(new HashSet<>(ids));
      for (int from = 0; from < all.size(); from += MAX_IN) {
        List<Long> chunk = all.subList(from, Math.min(all.size(), from + MAX_IN));
        try (PreparedStatement ps =
            c.prepareStatement(
                "UPDATE attempts SET lease_expires_at = ? WHERE worker_id = ? AND state ="
                    + " 'RUNNING' AND id IN ("
                    + Database.placeholders(chunk.size())
                    + ")"
                    + " RETURNING id, cancel_requested")) {
          ps.setLong(1, now.plus(lease).toEpochMilli());
          ps.setString(2, workerId);
          Database.bindLongs(ps, 3, chunk);
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              long id = rs.getLong(1);
              lost.remove(id);
              if (rs.getBoolean(2)) {
                cancel.add(id);
              }
            }
          }
        }
      }
      return new HeartbeatReply(cancel, lost);
    });
  }

  int complete(String workerId, List<Completion> completions, Instant now, RandomGenerator random) {
    if (completions.isEmpty()) {
      return 0;
    }
    return db.tx(c -> record(c, workerId, completions, now, random));
  }

  int reap(Instant now, int limit, RandomGenerator random) {
    return db.tx(c -> {
      Map<String, List<Completion>> byWorker = new LinkedHashMap<>();
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT id, worker_id FROM attempts WHERE state = 'RUNNING' AND lease_expires_at"
                  + " < ? ORDER BY lease_expires_at LIMIT ?"
                  + db.dialect().skipLocked())) {
        ps.setLong(1, now.toEpochMilli());
        ps.setInt(2, limit);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            String worker = rs.getString(2);
            byWorker
                .computeIfAbsent(worker, w -> new ArrayList<>())
                .add(
                    new Completion(
                        rs.getLong(1),
                        AttemptState.LOST,
                        null,
                        "lease expired: worker " + worker + " stopped heartbeating"));
          }
        }
      }
      int reaped = 0;
      for (Map.Entry<String, List<Completion>> e : byWorker.entrySet()) {
        reaped += record(c, e.getKey(), e.getValue(), now, random);
      }
      return reaped;
    });
  }

  /** An accepted outcome with what the follow-up needs. */
  private record Ended(
      long attemptId,
      long runId,
      String task,
      int attempt,
      String pool,
      TaskSpec spec,
      Completion completion) {}

  /** Records outcomes guarded by the lease, then retries or advances their runs. */
  private int record(
      Connection c,
      String workerId,
      List<Completion> completions,
      Instant now,
      RandomGenerator random)
      throws SQLException {
    List<Completion> accepted = markEnded(c, workerId, completions, now);
    if (accepted.isEmpty()) {
      return 0;
    }
    List<Ended> ended = load(c, accepted);
    Map<Long, RunRecord> runById = new HashMap<>();
    for (RunRecord r : loadRuns(c, ended.stream().map(Ended::runId).distinct().toList())) {
      runById.put(r.id(), r);
    }
    List<RunQueries.NewAttempt> next = new ArrayList<>();
    List<Finish> finishes = new ArrayList<>();
    for (Ended e : ended) {
      RunRecord run = runById.get(e.runId());
      AttemptState outcome = e.completion().outcome();
      if (run == null || !run.state().active() || outcome == AttemptState.CANCELLED) {
        continue;
      }
      if (outcome.retryable() && e.spec().retryPolicy().allowsRetryAfter(e.attempt())) {
        Duration delay = e.spec().retryPolicy().delayBeforeRetry(e.attempt(), random.nextDouble());
        next.add(
            new RunQueries.NewAttempt(
                run, e.spec(), e.attempt() + 1, e.pool(), now.plus(delay), now));
        continue;
      }
      advance(c, run, e, now, next, finishes);
    }
    runs.insertAttempts(c, next);
    finish(c, finishes, now);
    return accepted.size();
  }

  private record Finish(long runId, RunState state, String reason) {}

  private void advance(
      Connection c,
      RunRecord run,
      Ended e,
      Instant now,
      List<RunQueries.NewAttempt> next,
      List<Finish> finishes)
      throws SQLException {
    JobManifest manifest = manifestOf(c, run);
    List<TaskSpec> tasks = manifest.spec().tasks();
    Map<String, AttemptState> latest =
        tasks.size() == 1 ? Map.of(e.task(), e.completion().outcome()) : latestStates(c, run.id());
    RunAdvance advance = RunAdvancer.advance(tasks, latest);
    for (String name : advance.queue()) {
      TaskSpec task = tasks.stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
      next.add(new RunQueries.NewAttempt(run, task, 1, manifest.spec().pool(), now, now));
    }
    if (advance.finalState() != null) {
      String reason = null;
      if (advance.finalState() == RunState.FAILED) {
        Completion done = e.completion();
        String why = done.error() != null ? done.error() : "exit code " + done.exitCode();
        reason =
            "task "
                + e.task()
                + " "
                + done.outcome().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
                + ": "
                + why;
      }
      finishes.add(new Finish(run.id(), advance.finalState(), reason));
    }
  }

  private JobManifest manifestOf(Connection c, RunRecord run) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT manifest_json FROM job_versions WHERE namespace = ? AND name = ? AND version = ?")) {
      JobKey job = run.job();
      ps.setString(1, job.namespace());
      ps.setString(2, job.name());
      ps.setLong(3, run.jobVersion());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return specs.manifest(rs.getString(1));
      }
    }
  }

  private static Map<String, AttemptState> latestStates(Connection c, long runId)
      throws SQLException {
    Map<String, AttemptState> latest = new HashMap<>();
    try (PreparedStatement ps =
        c.prepareStatement("SELECT task_name, state FROM attempts WHERE run_id = ? ORDER BY id")) {
      ps.setLong(1, runId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          latest.put(rs.getString(1), AttemptState.valueOf(rs.getString(2)));
        }
      }
    }
    return latest;
  }

  private static List<Completion> markEnded(
      Connection c, String workerId, List<Completion> completions, Instant now)
      throws SQLException {
    List<Completion> accepted = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE attempts SET state = ?, finished_at = ?, exit_code = ?, error = ?,"
                + " lease_expires_at = NULL WHERE id = ? AND state = 'RUNNING' AND worker_id = ?")) {
      for (Completion done : completions) {
        if (!AttemptState.RUNNING.canBecome(done.outcome())) {
          continue;
        }
        ps.setString(1, done.outcome().name());
        ps.setLong(2, now.toEpochMilli());
        if (done.exitCode() == null) {
          ps.setNull(3, java.sql.Types.INTEGER);
        } else {
          ps.setInt(3, done.exitCode());
        }
        ps.setString(4, done.error());
        ps.setLong(5, done.attemptId());
        ps.setString(6, workerId);
        ps.addBatch();
      }
      int[] counts = ps.executeBatch();
      int k = 0;
      for (Completion done : completions) {
        if (!AttemptState.RUNNING.canBecome(done.outcome())) {
          continue;
        }
        if (counts[k++] != 0) {
          accepted.add(done);
        }
      }
    }
    return accepted;
  }

  private List<Ended> load(Connection c, List<Completion> accepted) throws SQLException {
    Map<Long, Completion> byId = new HashMap<>();
    accepted.forEach(a -> byId.put(a.attemptId(), a));
    List<Ended> ended = new ArrayList<>(accepted.size());
    List<Long> ids = List.copyOf(byId.keySet());
    for (int from = 0; from < ids.size(); from += MAX_IN) {
      List<Long> chunk = ids.subList(from, Math.min(ids.size(), from + MAX_IN));
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT id, run_id, task_name, attempt, pool, task_json FROM attempts WHERE id IN ("
                  + Database.placeholders(chunk.size())
                  + ")")) {
        Database.bindLongs(ps, 1, chunk);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            long id = rs.getLong(1);
            ended.add(
                new Ended(
                    id,
                    rs.getLong(2),
                    rs.getString(3),
                    rs.getInt(4),
                    rs.getString(5),
                    specs.task(rs.getString(6)),
                    byId.get(id)));
          }
        }
      }
    }
    return ended;
  }

  private static List<RunRecord> loadRuns(Connection c, List<Long> ids) throws SQLException {
    List<RunRecord> list = new ArrayList<>(ids.size());
    for (int from = 0; from < ids.size(); from += MAX_IN) {
      List<Long> chunk = ids.subList(from, Math.min(ids.size(), from + MAX_IN));
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT "
                  + RunQueries.COLUMNS
                  + " FROM runs WHERE id IN ("
                  + Database.placeholders(chunk.size())
                  + ")")) {
        Database.bindLongs(ps, 1, chunk);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            list.add(RunQueries.run(rs));
          }
        }
      }
    }
    return list;
  }

  private static void finish(Connection c, List<Finish> finishes, Instant now) throws SQLException {
    if (finishes.isEmpty()) {
      return;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE runs SET state = ?, reason = ?, finished_at = ? WHERE id = ? AND state IN "
                + RunQueries.ACTIVE)) {
      for (Finish f : finishes) {
        ps.setString(1, f.state().name());
        ps.setString(2, f.reason());
        ps.setLong(3, now.toEpochMilli());
        ps.setLong(4, f.runId());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }
}
