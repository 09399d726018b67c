package dev.kairos.store.jdbc;

import dev.kairos.core.predict.Sample;
import dev.kairos.core.protocol.Allocation;
import dev.kairos.core.protocol.TaskOutputs;
import dev.kairos.core.run.AttemptState;
import dev.kairos.core.run.RunAdvancer;
import dev.kairos.core.run.RunState;
import dev.kairos.core.run.TriggerKind;
import dev.kairos.core.spec.JobKey;
import dev.kairos.core.spec.JobManifest;
import dev.kairos.core.spec.Placement;
import dev.kairos.core.spec.TaskSpec;
import dev.kairos.core.spec.TaskSpecCodec;
import dev.kairos.store.ActiveRuns;
import dev.kairos.store.AttemptRecord;
import dev.kairos.store.JobRecord;
import dev.kairos.store.NewRun;
import dev.kairos.store.NotFoundException;
import dev.kairos.store.PoolSettings;
import dev.kairos.store.RunQuery;
import dev.kairos.store.RunRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** SQL on runs: creation with their first attempts, cancellation, queries. */
final class RunQueries {
  static final String COLUMNS =
      "id, namespace, job_name, job_version, trigger_kind, fire_time, idempotency_key, state,"
          + " reason, created_at, started_at, finished_at, event_id, run_size";

  /**
   * Active (PENDING or RUNNING) runs: every terminal state sets finished_at (a CHECK constraint on
   * PostgreSQL). No index covers it, so that the run's writes stay cheap (see the V2 migration).
   */
  static final String ACTIVE = "runs.finished_at IS NULL";

  /** Rows per multi-row INSERT (well under both databases' bind-variable limits). */
  private static final int INSERT_CHUNK = 500;

  private final Database db;
  private final JobQueries jobs;
  private final SpecCache specs;
  private final PoolQueries pools;
  private final Predictions predictions = new Predictions();

  RunQueries(Database db, JobQueries jobs, SpecCache specs, PoolQueries pools) {
    this.db = db;
    this.jobs = jobs;
    this.specs = specs;
    this.pools = pools;
  }

  List<RunRecord> create(List<NewRun> runs, Instant now) {
    return db.tx(c -> create(c, runs, now));
  }

  /**
   * Inserts runs (ON CONFLICT DO NOTHING on the fire-time and idempotency keys) and queues the root
   * tasks of the PENDING ones. A run that already existed is returned in place of the new.
   */
  List<RunRecord> create(Connection c, List<NewRun> runs, Instant now) throws SQLException {
    return create(c, runs, now, new HashMap<>());
  }

  /** As {@link #create(Connection, List, Instant)}, with jobs the caller has already loaded. */
  List<RunRecord> create(
      Connection c, List<NewRun> runs, Instant now, Map<JobKey, JobRecord> loaded)
      throws SQLException {
    Map<JobKey, JobRecord> jobCache = new HashMap<>(loaded);
    List<RunRecord> result = new ArrayList<>(runs.size());
    for (int from = 0; from < runs.size(); from += INSERT_CHUNK) {
      List<NewRun> chunk = runs.subList(from, Math.min(runs.size(), from + INSERT_CHUNK));
      for (NewRun r : chunk) {
        if (!jobCache.containsKey(r.job())) {
          jobCache.put(
              r.job(),
              jobs.find(c, r.job(), false)
                  .orElseThrow(() -> new NotFoundException("job " + r.job() + " not found")));
        }
      }
      List<RunRecord> inserted = insertRuns(c, chunk, jobCache, now);
      queueRoots(c, inserted, jobCache, now);
      // match inputs to rows; a missing row is a conflict: the existing run is the answer
      Map<String, RunRecord> byKey = new HashMap<>();
      List<RunRecord> plain = new ArrayList<>();
      for (RunRecord r : inserted) {
        String k = identity(r.job(), r.fireTime(), r.idempotencyKey());
        if (k == null) {
          plain.add(r);
        } else {
          byKey.put(k, r);
        }
      }
      int plainIndex = 0;
      for (NewRun n : chunk) {
        String k = identity(n.job(), n.fireTime(), n.idempotencyKey());
        if (k == null) {
          result.add(plain.get(plainIndex++));
        } else {
          RunRecord r = byKey.get(k);
          result.add(r != null ? r : existing(c, n).orElseThrow());
        }
      }
    }
    return result;
  }

  private static String identity(JobKey job, Instant fireTime, String key) {
    if (key != null) {
      return job + "|k|" + key;
    }
    return fireTime == null ? null : job + "|f|" + fireTime.toEpochMilli();
  }

  private List<RunRecord> insertRuns(
      Connection c, List<NewRun> chunk, Map<JobKey, JobRecord> jobCache, Instant now)
      throws SQLException {
    StringBuilder sql =
        new StringBuilder(
            "INSERT INTO runs (namespace, job_name, job_version, trigger_kind, fire_time,"
                + " idempotency_key, state, reason, created_at, finished_at, event_id, run_size)"
                + " VALUES ");
    for (int i = 0; i < chunk.size(); i++) {
      sql.append(i == 0 ? "" : ", ").append("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    }
    sql.append(" ON CONFLICT DO NOTHING RETURNING ").append(COLUMNS);
    long t = now.toEpochMilli();
    try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
      int i = 1;
      for (NewRun r : chunk) {
        ps.setString(i++, r.job().namespace());
        ps.setString(i++, r.job().name());
        ps.setLong(i++, jobCache.get(r.job()).version());
        ps.setString(i++, r.trigger().name());
        Database.setNullableLong(ps, i++, JobQueries.millis(r.fireTime()));
        ps.setString(i++, r.idempotencyKey());
        ps.setString(i++, r.state().name());
        ps.setString(i++, r.reason());
        ps.setLong(i++, t);
        Database.setNullableLong(ps, i++, r.state().terminal() ? t : null);
        Database.setNullableLong(ps, i++, r.eventId());
        Database.setNullableDouble(ps, i++, r.size());
      }
      List<RunRecord> rows = new ArrayList<>(chunk.size());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows.add(run(rs));
        }
      }
      return rows;
    }
  }

  private void queueRoots(
      Connection c, List<RunRecord> runs, Map<JobKey, JobRecord> jobCache, Instant now)
      throws SQLException {
    List<RunRecord> pending = runs.stream().filter(r -> r.state() == RunState.PENDING).toList();
    Set<Long> held = held(c, pending, jobCache);
    List<NewAttempt> attempts = new ArrayList<>();
    for (RunRecord run : pending) {
      if (!held.contains(run.id())) {
        attempts.addAll(roots(run, jobCache.get(run.job()).manifest(), now));
      }
    }
    insertAttempts(c, attempts);
  }

  /** The first attempts of a run: its root tasks (or those whose rules let them run at once). */
  static List<NewAttempt> roots(RunRecord run, JobManifest manifest, Instant now) {
    List<TaskSpec> tasks = manifest.spec().tasks();
    // a run fired ahead of its time does not start before it
    Instant notBefore =
        run.fireTime() != null && run.fireTime().isAfter(now) ? run.fireTime() : now;
    List<NewAttempt> attempts = new ArrayList<>();
    for (String name : RunAdvancer.advance(tasks, Map.of()).queue()) {
      TaskSpec task = tasks.stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
      attempts.add(
          new NewAttempt(
              run,
              task,
              1,
              tasks.size() == 1,
              Placing.of(manifest.spec().placement(), run.id()),
              notBefore,
              now));
    }
    return attempts;
  }

  /**
   * Of new PENDING runs, those that must wait because their job is at its maxActiveRuns (or has
   * runs waiting already, which go first): they are marked held and queue nothing yet. Locks the
   * rows of such jobs, so that concurrent creations and releases count in turn.
   */
  private Set<Long> held(Connection c, List<RunRecord> pending, Map<JobKey, JobRecord> jobCache)
      throws SQLException {
    Map<JobKey, List<RunRecord>> limited = new LinkedHashMap<>();
    for (RunRecord run : pending) {
      if (jobCache.get(run.job()).manifest().spec().maxActiveRuns() != null) {
        limited.computeIfAbsent(run.job(), k -> new ArrayList<>()).add(run);
      }
    }
    Set<Long> held = new HashSet<>();
    for (Map.Entry<JobKey, List<RunRecord>> e : limited.entrySet()) {
      JobKey job = e.getKey();
      jobs.find(c, job, true);
      int room = HeldRuns.hasHeld(c, job) ? 0 : HeldRuns.room(c, job, jobCache.get(job));
      List<RunRecord> runs = e.getValue();
      for (RunRecord run : runs.subList(Math.min(room, runs.size()), runs.size())) {
        held.add(run.id());
      }
    }
    HeldRuns.hold(c, db, List.copyOf(held));
    return held;
  }

  /**
   * An attempt to queue.
   *
   * @param soleTask whether {@code task} is its run's only task (see the V3 migration)
   * @param placing where it may run
   * @param retryBase the attempt number the retry policy counts from (see the V5 migration)
   */
  record NewAttempt(
      RunRecord run,
      TaskSpec task,
      int attempt,
      boolean soleTask,
      Placing placing,
      Instant notBefore,
      Instant createdAt,
      int retryBase,
      int lostBefore) {

    /** An attempt of a task never cleared: its retry policy counts from the first attempt. */
    NewAttempt(
        RunRecord run,
        TaskSpec task,
        int attempt,
        boolean soleTask,
        Placing placing,
        Instant notBefore,
        Instant createdAt) {
      this(run, task, attempt, soleTask, placing, notBefore, createdAt, 0, 0);
    }
  }

  /**
   * Where an attempt may run: decided for its run from the job's placement, or copied from the
   * attempt it retries.
   *
   * @param cluster the run's cluster (null = any)
   * @param selectorJson the labels a worker must have, as a JSON object (null = any worker)
   */
  record Placing(String pool, String cluster, boolean strict, String selectorJson) {
    static Placing of(Placement placement, long runId) {
      return new Placing(
          placement.pool(),
          placement.clusterFor(runId),
          placement.strict(),
          placement.labels().isEmpty() ? null : Json.write(placement.labels()));
    }
  }

  /** The columns of a new attempt, and their types, in the order {@link #row} gives them. */
  private static final String ATTEMPT_COLUMNS =
      "run_id, namespace, job_name, run_key, task_name, attempt, sole_task, fire_time, retry_base,"
          + " pool, priority, not_before, task_json, created_at, cpu_millis, memory_bytes, cluster,"
          + " strict_cluster, selector_json, rank, cpu_class, event_id, lost_before";

  private static final String[] ATTEMPT_TYPES = {
    "BIGINT", "TEXT", "TEXT", "TEXT", "TEXT", "INTEGER", "BOOLEAN", "BIGINT", "INTEGER", "TEXT",
    "INTEGER", "BIGINT", "TEXT", "BIGINT", "BIGINT", "BIGINT", "TEXT", "BOOLEAN", "TEXT", "BIGINT",
    "INTEGER", "BIGINT", "INTEGER"
  };

  /**
   * Queues attempts, a chunk per statement: a join source of rows ({@link Database#rows}), which on
   * PostgreSQL is one statement text whatever the number of attempts, prepared once.
   */
  void insertAttempts(Connection c, List<NewAttempt> attempts) throws SQLException {
    for (int from = 0; from < attempts.size(); from += INSERT_CHUNK) {
      List<NewAttempt> chunk =
          attempts.subList(from, Math.min(attempts.size(), from + INSERT_CHUNK));
      StringBuilder select = new StringBuilder();
      for (int col = 1; col <= ATTEMPT_TYPES.length; col++) {
        select.append(col == 1 ? "" : ", ").append("v.column").append(col);
      }
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO attempts ("
                  + ATTEMPT_COLUMNS
                  + ", state) SELECT "
                  + select
                  + ", 'QUEUED' FROM "
                  + db.rows(chunk.size(), ATTEMPT_TYPES))) {
        List<Object[]> rows = new ArrayList<>(chunk.size());
        for (NewAttempt a : chunk) {
          rows.add(row(c, a));
        }
        db.bindRows(ps, 1, rows, ATTEMPT_TYPES);
        ps.executeUpdate();
      }
    }
  }

  private Object[] row(Connection c, NewAttempt a) throws SQLException {
    RunRecord run = a.run();
    Placing placing = a.placing();
    Allocation requests = Allocation.requestedBy(a.task().resources());
    return new Object[] {
      run.id(),
      run.job().namespace(),
      run.job().name(),
      runKey(run),
      a.task().name(),
      a.attempt(),
      a.soleTask(),
      run.fireTime() == null ? null : run.fireTime().toEpochMilli(),
      a.retryBase(),
      placing.pool(),
      a.task().priority(),
      a.notBefore().toEpochMilli(),
      TaskSpecCodec.toJson(a.task()),
      a.createdAt().toEpochMilli(),
      requests.millicores(),
      requests.memoryBytes(),
      placing.cluster(),
      placing.strict(),
      placing.selectorJson(),
      rank(c, a),
      SizeClass.cpu(requests.millicores()),
      run.eventId(),
      a.lostBefore()
    };
  }

  /** The rank of a new attempt in its pool's queue (see {@link PoolSettings#rank}). */
  private long rank(Connection c, NewAttempt a) throws SQLException {
    PoolSettings settings = pools.settings(c, a.placing().pool(), a.createdAt());
    double p50 =
        settings.shortestFirst()
            ? predictions.p50(c, a.run(), a.task().name(), a.createdAt())
            : Double.NaN;
    return settings.rank(a.task().priority(), a.notBefore().toEpochMilli(), p50);
  }

  /** The stable prefix of a task's idempotency key within a run. */
  static String runKey(RunRecord run) {
    return run.idempotencyKey() != null
        ? run.idempotencyKey()
        : run.job().namespace() + "/" + run.job().name() + "/" + run.id();
  }

  private Optional<RunRecord> existing(Connection c, NewRun n) throws SQLException {
    String where = n.idempotencyKey() != null ? "idempotency_key = ?" : "fire_time = ?";
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT " + COLUMNS + " FROM runs WHERE namespace = ? AND job_name = ? AND " + where)) {
      ps.setString(1, n.job().namespace());
      ps.setString(2, n.job().name());
      if (n.idempotencyKey() != null) {
        ps.setString(3, n.idempotencyKey());
      } else {
        ps.setLong(3, n.fireTime().toEpochMilli());
      }
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(run(rs)) : Optional.empty();
      }
    }
  }

  /** Cancels active runs; their queued attempts end, their running ones are flagged. */
  int cancel(Connection c, List<Long> runIds, String reason, Instant now) throws SQLException {
    return end(c, runIds, RunState.CANCELLED, reason, now);
  }

  /**
   * Ends active runs in {@code state} (CANCELLED, or FAILED for a run whose item was set aside)
   * with the reason: their queued attempts are cancelled, their running attempts flagged so that
   * their workers kill them at the next heartbeat. Returns how many runs it ended.
   */
  int end(Connection c, List<Long> runIds, RunState state, String reason, Instant now)
      throws SQLException {
    if (runIds.isEmpty()) {
      return 0;
    }
    long t = now.toEpochMilli();
    if (!db.dialect().lockRows().isEmpty()) {
      // the runs' active attempts first, in id order, as a completion locks the attempts it ends
      // and then their runs: locking a run and then waiting for an attempt whose completion waits
      // for that run deadlocked the two
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT id FROM attempts WHERE "
                  + db.idIn("run_id", runIds.size())
                  + " AND "
                  + Database.stateIs("state", "QUEUED", "RUNNING")
                  + " ORDER BY id"
                  + db.dialect().lockRows())) {
        db.bindIds(ps, 1, runIds);
        ps.executeQuery().close();
      }
    }
    int cancelled;
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE runs SET state = ?, reason = ?, finished_at = ?, held = FALSE WHERE "
                + db.idIn("id", runIds.size())
                + " AND "
                + ACTIVE)) {
      ps.setString(1, state.name());
      ps.setString(2, reason);
      ps.setLong(3, t);
      db.bindIds(ps, 4, runIds);
      cancelled = ps.executeUpdate();
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE attempts SET state = 'CANCELLED', finished_at = ?, error = ? WHERE "
                + db.idIn("run_id", runIds.size())
                + " AND "
                + Database.stateIs("state", "QUEUED"))) {
      ps.setLong(1, t);
      ps.setString(2, reason);
      db.bindIds(ps, 3, runIds);
      ps.executeUpdate();
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE attempts SET cancel_requested = TRUE WHERE "
                + db.idIn("run_id", runIds.size())
                + " AND "
                + Database.stateIs("state", "RUNNING"))) {
      db.bindIds(ps, 1, runIds);
      ps.executeUpdate();
    }
    return cancelled;
  }

  Optional<RunRecord> cancel(long runId, String reason, Instant now) {
    return db.tx(c -> {
      cancel(c, List.of(runId), reason, now);
      return find(c, runId);
    });
  }

  Optional<RunRecord> find(long id) {
    return db.read(c -> find(c, id));
  }

  Optional<RunRecord> find(Connection c, long id) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT " + COLUMNS + " FROM runs WHERE id = ?")) {
      ps.setLong(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(run(rs)) : Optional.empty();
      }
    }
  }

  /**
   * The PENDING and RUNNING runs of each of {@code jobs}, in one query per 500 jobs. They are found
   * through their QUEUED or RUNNING attempts (indexed), which every active run has.
   */
  Map<JobKey, List<RunRecord>> active(Connection c, List<JobKey> jobs) throws SQLException {
    Map<JobKey, List<RunRecord>> byJob = new HashMap<>();
    for (int from = 0; from < jobs.size(); from += INSERT_CHUNK) {
      List<JobKey> chunk = jobs.subList(from, Math.min(jobs.size(), from + INSERT_CHUNK));
      String keys = Database.valuesRows(chunk.size(), "TEXT", "TEXT");
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT "
                  + COLUMNS
                  + " FROM runs WHERE id IN (SELECT a.run_id FROM (VALUES "
                  + keys
                  + ") AS v JOIN attempts a ON a.namespace = v.column1 AND a.job_name = v.column2"
                  + " AND a.state IN ('QUEUED', 'RUNNING')) AND "
                  + ACTIVE
                  + " ORDER BY id")) {
        int i = 1;
        for (JobKey k : chunk) {
          ps.setString(i++, k.namespace());
          ps.setString(i++, k.name());
        }
        for (RunRecord r : runs(ps)) {
          byJob.computeIfAbsent(r.job(), k -> new ArrayList<>()).add(r);
        }
      }
    }
    return byJob;
  }

  List<RunRecord> list(RunQuery q) {
    return db.read(c -> {
      List<String> where = new ArrayList<>();
      if (q.job() != null) {
        where.add("namespace = ? AND job_name = ?");
      }
      if (q.state() != null) {
        where.add("state = ?");
      }
      if (q.beforeId() != null) {
        where.add("id < ?");
      }
      if (!q.namespaces().isEmpty()) {
        where.add("namespace IN (" + Database.placeholders(q.namespaces().size()) + ")");
      }
      String sql =
          "SELECT "
              + COLUMNS
              + " FROM runs"
              + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
              + " ORDER BY id DESC LIMIT ?";
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        int i = 1;
        if (q.job() != null) {
          ps.setString(i++, q.job().namespace());
          ps.setString(i++, q.job().name());
        }
        if (q.state() != null) {
          ps.setString(i++, q.state().name());
        }
        if (q.beforeId() != null) {
          ps.setLong(i++, q.beforeId());
        }
        for (String namespace : q.namespaces()) {
          ps.setString(i++, namespace);
        }
        ps.setInt(i, Math.max(1, Math.min(1000, q.limit())));
        return runs(ps);
      }
    });
  }

  long count(JobKey job, RunState state) {
    return db.read(c -> {
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT COUNT(*) FROM runs WHERE namespace = ? AND job_name = ? AND state = ?")) {
        ps.setString(1, job.namespace());
        ps.setString(2, job.name());
        ps.setString(3, state.name());
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return rs.getLong(1);
        }
      }
    });
  }

  /**
   * Active runs: those with a queued or running attempt (read from the attempts' partial index of
   * active states, as the concurrency policies do), and those held by maxActiveRuns.
   */
  ActiveRuns active() {
    return db.read(c -> {
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT (SELECT COUNT(DISTINCT run_id) FROM attempts"
                  + " WHERE state IN ('QUEUED', 'RUNNING')),"
                  + " (SELECT COUNT(*) FROM runs WHERE held)")) {
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return new ActiveRuns(rs.getLong(1), rs.getLong(2));
        }
      }
    });
  }

  /** See {@link dev.kairos.store.Store#taskDurations}. */
  Map<String, List<Sample>> taskDurations(JobKey job, long beforeRunId, int runs) {
    return db.read(c -> taskDurations(c, job, beforeRunId, runs));
  }

  static Map<String, List<Sample>> taskDurations(
      Connection c, JobKey job, long beforeRunId, int runs) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT a.task_name, a.started_at, a.finished_at, r.run_size FROM attempts a"
                + " JOIN runs r ON r.id = a.run_id WHERE a.run_id IN ("
                + "SELECT id FROM runs WHERE namespace = ? AND job_name = ? AND id < ?"
                + " ORDER BY id DESC LIMIT ?) AND a.state = 'SUCCEEDED'"
                + " AND a.finished_at > a.started_at ORDER BY a.run_id, a.id")) {
      ps.setString(1, job.namespace());
      ps.setString(2, job.name());
      ps.setLong(3, beforeRunId);
      ps.setInt(4, runs);
      Map<String, List<Sample>> byTask = new HashMap<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          byTask
              .computeIfAbsent(rs.getString(1), t -> new ArrayList<>())
              .add(new Sample(rs.getLong(3) - rs.getLong(2), sizeOrNaN(rs)));
        }
      }
      return byTask;
    }
  }

  /** The run's size for the duration predictor: NaN when it has none. */
  private static double sizeOrNaN(ResultSet rs) throws SQLException {
    Double size = Database.nullableDouble(rs, "run_size");
    return size == null ? Double.NaN : size;
  }

  List<AttemptRecord> attempts(long runId) {
    return db.read(c -> {
      try (PreparedStatement ps =
          c.prepareStatement("SELECT * FROM attempts WHERE run_id = ? ORDER BY id")) {
        ps.setLong(1, runId);
        List<AttemptRecord> list = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            list.add(attempt(rs));
          }
        }
        return list;
      }
    });
  }

  private static List<RunRecord> runs(PreparedStatement ps) throws SQLException {
    List<RunRecord> list = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        list.add(run(rs));
      }
    }
    return list;
  }

  static RunRecord run(ResultSet rs) throws SQLException {
    return new RunRecord(
        rs.getLong("id"),
        new JobKey(rs.getString("namespace"), rs.getString("job_name")),
        rs.getLong("job_version"),
        TriggerKind.valueOf(rs.getString("trigger_kind")),
        instant(rs, "fire_time"),
        rs.getString("idempotency_key"),
        RunState.valueOf(rs.getString("state")),
        rs.getString("reason"),
        instant(rs, "created_at"),
        instant(rs, "started_at"),
        instant(rs, "finished_at"),
        Database.nullableLong(rs, "event_id"),
        Database.nullableDouble(rs, "run_size"));
  }

  AttemptRecord attempt(ResultSet rs) throws SQLException {
    Long exit = Database.nullableLong(rs, "exit_code");
    return new AttemptRecord(
        rs.getLong("id"),
        rs.getLong("run_id"),
        specs.task(rs.getString("task_json")),
        rs.getInt("attempt"),
        AttemptState.valueOf(rs.getString("state")),
        rs.getString("pool"),
        rs.getInt("priority"),
        instant(rs, "not_before"),
        rs.getString("worker_id"),
        instant(rs, "lease_expires_at"),
        rs.getBoolean("cancel_requested"),
        instant(rs, "created_at"),
        instant(rs, "started_at"),
        instant(rs, "finished_at"),
        exit == null ? null : exit.intValue(),
        rs.getString("error"),
        TaskOutputs.fromJson(rs.getString("outputs_json")),
        rs.getBoolean("cleared"),
        rs.getString("cluster"),
        rs.getBoolean("strict_cluster"),
        Json.read(rs.getString("selector_json")));
  }

  static Instant instant(ResultSet rs, String column) throws SQLException {
    Long v = Database.nullableLong(rs, column);
    return v == null ? null : Instant.ofEpochMilli(v);
  }
}
