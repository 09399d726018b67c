package dev.kairos.store.jdbc;

import dev.kairos.core.run.RunAdvance;
import dev.kairos.core.run.RunAdvancer;
import dev.kairos.core.run.RunAdvancer.TaskOutcome;
import dev.kairos.core.run.RunState;
import dev.kairos.core.spec.JobManifest;
import dev.kairos.core.spec.TaskSpec;
import dev.kairos.store.ConflictException;
import dev.kairos.store.NotFoundException;
import dev.kairos.store.RunRecord;
import dev.kairos.store.RunRepair;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Repairs of ended runs: clear some tasks' attempts (they stay as history), reopen the run and let
 * the advancer go on from what is left, as after any completion.
 */
final class RunRepairs {
  private final Database db;
  private final JobQueries jobs;
  private final RunQueries runs;

  RunRepairs(Database db, JobQueries jobs, RunQueries runs) {
    this.db = db;
    this.jobs = jobs;
    this.runs = runs;
  }

  RunRecord repair(long runId, RunRepair repair, Instant now) {
    return db.tx(c -> {
      RunRecord run = locked(c, runId);
      if (run.state().active()) {
        throw new ConflictException(
            "run " + runId + " is " + run.state() + ": wait for it to end, or cancel it first");
      }
      if (stillStopping(c, runId)) {
        throw new ConflictException(
            "run " + runId + " still has attempts being stopped; try again in a moment");
      }
      JobManifest manifest =
          jobs.version(c, run.job(), run.jobVersion())
              .orElseThrow(() -> new NotFoundException("the job of run " + runId + " is gone"));
      List<TaskSpec> tasks = manifest.spec().tasks();
      TaskHistory before = TaskHistory.load(c, runId);
      Set<String> clear = tasksToClear(run, tasks, before, repair);
      clear(c, runId, clear);
      if (repair instanceof RunRepair.Mark mark) {
        mark(c, runId, mark, now);
      }
      reopen(c, run, now);
      TaskHistory after = TaskHistory.load(c, runId);
      RunAdvance advance = RunAdvancer.advance(tasks, after.latest(), after.marks());
      runs.insertAttempts(c, QueueQueries.queued(run, manifest, advance, after, now));
      if (advance.finalState() != null) {
        finish(c, runId, advance, now);
      }
      return runs.find(c, runId).orElseThrow();
    });
  }

  private Set<String> tasksToClear(
      RunRecord run, List<TaskSpec> tasks, TaskHistory history, RunRepair repair) {
    return switch (repair) {
      case RunRepair.RetryFailed r -> {
        if (run.state() == RunState.SUCCEEDED) {
          throw new ConflictException(
              "run " + run.id() + " SUCCEEDED: there is nothing to retry (re-run a task instead)");
        }
        Map<String, TaskOutcome> outcomes =
            RunAdvancer.outcomes(tasks, history.latest(), history.marks());
        Set<String> failed = new LinkedHashSet<>();
        outcomes.forEach((task, o) -> {
          if (o == TaskOutcome.FAILED) {
            failed.add(task);
          }
        });
        yield failed;
      }
      case RunRepair.Rerun r -> {
        check(run, tasks, r.task());
        yield r.downstream() ? withDownstream(tasks, r.task()) : Set.of(r.task());
      }
      case RunRepair.Mark m -> {
        check(run, tasks, m.task());
        yield Set.of(m.task());
      }
    };
  }

  private static void check(RunRecord run, List<TaskSpec> tasks, String task) {
    if (tasks.stream().noneMatch(t -> t.name().equals(task))) {
      throw new NotFoundException(
          "run "
              + run.id()
              + " has no task "
              + task
              + "; its tasks: "
              + String.join(", ", tasks.stream().map(TaskSpec::name).toList()));
    }
  }

  /** {@code task} and every task that depends on it, directly or not. */
  static Set<String> withDownstream(List<TaskSpec> tasks, String task) {
    Map<String, List<String>> downstream = new java.util.HashMap<>();
    for (TaskSpec t : tasks) {
      t.dependsOn()
          .forEach(
              up -> downstream.computeIfAbsent(up, k -> new java.util.ArrayList<>()).add(t.name()));
    }
    Set<String> found = new LinkedHashSet<>();
    Deque<String> todo = new ArrayDeque<>(List.of(task));
    while (!todo.isEmpty()) {
      String t = todo.poll();
      if (found.add(t)) {
        todo.addAll(downstream.getOrDefault(t, List.of()));
      }
    }
    return found;
  }

  private RunRecord locked(Connection c, long runId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT " + RunQueries.COLUMNS + " FROM runs WHERE id = ?" + db.dialect().lockRows())) {
      ps.setLong(1, runId);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new NotFoundException("run " + runId + " not found");
        }
        return RunQueries.run(rs);
      }
    }
  }

  private static boolean stillStopping(Connection c, long runId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT 1 FROM attempts WHERE run_id = ? AND state IN ('QUEUED', 'RUNNING')")) {
      ps.setLong(1, runId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  private void clear(Connection c, long runId, Set<String> tasks) throws SQLException {
    if (tasks.isEmpty()) {
      return;
    }
    String in = Database.placeholders(tasks.size());
    for (String sql :
        List.of(
            "UPDATE attempts SET cleared = TRUE WHERE run_id = ? AND NOT cleared AND task_name IN (",
            "DELETE FROM task_marks WHERE run_id = ? AND task_name IN (")) {
      try (PreparedStatement ps = c.prepareStatement(sql + in + ")")) {
        ps.setLong(1, runId);
        int i = 2;
        for (String t : tasks) {
          ps.setString(i++, t);
        }
        ps.executeUpdate();
      }
    }
  }

  private static void mark(Connection c, long runId, RunRepair.Mark mark, Instant now)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO task_marks (run_id, task_name, state, marked_at) VALUES (?, ?, ?, ?)")) {
      ps.setLong(1, runId);
      ps.setString(2, mark.task());
      ps.setString(3, mark.succeeded() ? "SUCCEEDED" : "SKIPPED");
      ps.setLong(4, now.toEpochMilli());
      ps.executeUpdate();
    }
  }

  /** Active again: RUNNING if it had started, else PENDING (a missed fire run after all). */
  private static void reopen(Connection c, RunRecord run, Instant now) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE runs SET state = ?, reason = NULL, finished_at = NULL WHERE id = ?")) {
      ps.setString(1, run.startedAt() != null ? "RUNNING" : "PENDING");
      ps.setLong(2, run.id());
      ps.executeUpdate();
    }
  }

  private static void finish(Connection c, long runId, RunAdvance advance, Instant now)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("UPDATE runs SET state = ?, reason = ?, finished_at = ? WHERE id = ?")) {
      ps.setString(1, advance.finalState().name());
      ps.setString(2, advance.reason());
      ps.setLong(3, now.toEpochMilli());
      ps.setLong(4, runId);
      ps.executeUpdate();
    }
  }

  Map<String, String> marks(long runId) {
    return db.read(c -> {
      Map<String, String> marks = new TreeMap<>();
      try (PreparedStatement ps =
          c.prepareStatement("SELECT task_name, state FROM task_marks WHERE run_id = ?")) {
        ps.setLong(1, runId);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            marks.put(rs.getString(1), rs.getString(2));
          }
        }
      }
      return marks;
    });
  }
}
