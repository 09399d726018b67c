package dev.kairos.store.jdbc;

import dev.kairos.core.alert.AlertKind;
import dev.kairos.core.protocol.Allocation;
import dev.kairos.core.protocol.Assignment;
import dev.kairos.core.protocol.Completion;
import dev.kairos.core.protocol.HeartbeatReply;
import dev.kairos.core.protocol.Lease;
import dev.kairos.core.protocol.TaskOutputs;
import dev.kairos.core.protocol.WorkerInfo;
import dev.kairos.core.run.AttemptState;
import dev.kairos.core.run.RunAdvance;
import dev.kairos.core.run.RunAdvancer;
import dev.kairos.core.run.RunState;
import dev.kairos.core.spec.JobManifest;
import dev.kairos.core.spec.RetryPolicy;
import dev.kairos.core.spec.TaskSpec;
import dev.kairos.core.time.Saturating;
import dev.kairos.store.AttemptEnd;
import dev.kairos.store.Claim;
import dev.kairos.store.Completed;
import dev.kairos.store.ConflictException;
import dev.kairos.store.NewEvent;
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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;

/**
 * The queue: claiming attempts under a lease, renewing leases, recording outcomes (with retries and
 * run progress) and reaping expired leases. Every method takes a batch in a few round trips.
 */
final class QueueQueries {
  private static final int MAX_IN = 1000;

  private final Database db;
  private final RunQueries runs;
  private final SpecCache specs;
  private final PoolQueries pools;
  private final EventQueries events;

  QueueQueries(
      Database db, RunQueries runs, SpecCache specs, PoolQueries pools, EventQueries events) {
    this.db = db;
    this.runs = runs;
    this.specs = specs;
    this.pools = pools;
    this.events = events;
  }

  List<Assignment> claim(Claim claim, Instant now, Duration ahead, Duration lease) {
    WorkerInfo w = claim.worker();
    long nowMillis = now.toEpochMilli();
    return db.tx(c -> {
      genericPlans(c);
      int n = Math.max(1, Math.min(MAX_IN, claim.max()));
      Integer room = pools.room(c, w.pool(), now);
      if (room != null) {
        n = Math.min(n, room); // the pool's maxRunning, less what runs in it now
        if (n <= 0) {
          return List.of();
        }
      }
      List<Assignment> claimed = new ArrayList<>(n);
      Map<Long, Long> eventOf = new HashMap<>(); // attempt id -> event id
      // each run starts with its earliest attempt claimed here
      Map<Long, Long> runStarts = new HashMap<>();
      int classes = SizeClass.cpu(w.capacity().millicores()) + 1;
      // the chosen ids are looked up by primary key and locked; still queued is checked again
      // once locked, written so that the planner cannot use the queue's partial index for it: a
      // generic plan made from stale statistics ANDed the whole queue index with the ids (114 ms
      // per claim with 85,000 queued)
      String candidates =
          "SELECT id, rank, cpu_millis, memory_bytes FROM attempts WHERE "
              + db.idInQuery("id", best(classes))
              + " AND "
              + Database.stateIs("state", "QUEUED")
              + " ORDER BY rank DESC, id LIMIT ?"
              + db.dialect().skipLocked();
      String fitting =
          "SELECT id FROM (SELECT id, SUM(cpu_millis) OVER w AS cpu, SUM(memory_bytes) OVER w AS mem"
              + " FROM ("
              + candidates
              + ") c WINDOW w AS (ORDER BY rank DESC, id ROWS UNBOUNDED PRECEDING)) f"
              + " WHERE cpu <= ? AND mem <= ?";
      String update =
          "UPDATE attempts SET state = 'RUNNING', worker_id = ?, fence = "
              + db.dialect().randomFence()
              + ", started_at = CASE WHEN not_before > ? THEN not_before ELSE ? END,"
              + " lease_expires_at = CASE WHEN not_before > ? THEN not_before ELSE ? END + ?"
              + " WHERE id IN ("
              + fitting
              + ") RETURNING id, run_id, namespace, job_name, run_key, task_name, attempt,"
              + " task_json, started_at, lease_expires_at, fire_time, event_id, fence";
      boolean oneStatement = db.dialect().writesInWith();
      if (oneStatement) {
        // the runs start in the same statement: one round trip, no run ids sent back
        update =
            "WITH claimed AS ("
                + update
                + "), started AS (UPDATE runs SET state = 'RUNNING', started_at = s.first"
                + " FROM (SELECT run_id, MIN(started_at) AS first FROM claimed GROUP BY run_id) s"
                + " WHERE runs.id = s.run_id AND runs.state = 'PENDING')"
                + " SELECT * FROM claimed";
      }
      try (PreparedStatement ps = c.prepareStatement(update)) {
        int i = 1;
        ps.setString(i++, w.workerId());
        ps.setLong(i++, nowMillis);
        ps.setLong(i++, nowMillis);
        ps.setLong(i++, nowMillis);
        ps.setLong(i++, nowMillis);
        ps.setLong(i++, lease.toMillis());
        i = bindBest(ps, i, classes, n, claim, now, ahead);
        ps.setInt(i++, n);
        ps.setLong(i++, claim.free().millicores());
        ps.setLong(i, claim.free().memoryBytes());
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            long runId = rs.getLong("run_id");
            long startedAt = rs.getLong("started_at");
            runStarts.merge(runId, startedAt, Math::min);
            String task = rs.getString("task_name");
            long eventId = rs.getLong("event_id");
            if (!rs.wasNull()) {
              eventOf.put(rs.getLong("id"), eventId);
            }
            claimed.add(
                new Assignment(
                    rs.getLong("id"),
                    runId,
                    rs.getString("namespace"),
                    rs.getString("job_name"),
                    rs.getInt("attempt"),
                    specs.task(rs.getString("task_json")),
                    rs.getString("run_key") + "/" + task,
                    Instant.ofEpochMilli(rs.getLong("lease_expires_at")),
                    startedAt - nowMillis,
                    Map.of(),
                    RunQueries.instant(rs, "fire_time"),
                    null,
                    rs.getLong("fence")));
          }
        }
      }
      if (!oneStatement) {
        markRunsStarted(c, runStarts);
      }
      return withEvents(c, withInputs(c, claimed), eventOf);
    });
  }

  /**
   * The claimed attempts of runs started by an event, with the event ({@code $KAIROS_EVENT}): one
   * query for all of them; the others cost nothing.
   */
  private List<Assignment> withEvents(
      Connection c, List<Assignment> claimed, Map<Long, Long> eventOf) throws SQLException {
    if (eventOf.isEmpty()) {
      return claimed;
    }
    List<Long> ids = eventOf.values().stream().distinct().toList();
    Map<Long, String> json = EventQueries.asJson(c, db, ids);
    return claimed.stream()
        .map(a ->
            eventOf.containsKey(a.attemptId())
                ? a.withEvent(json.get(eventOf.get(a.attemptId())))
                : a)
        .toList();
  }

  /**
   * An attempt a claim may take: due, of the worker's pool, requesting no more than the worker has
   * in all, for its cluster (or for none, or for one without live workers in the pool, unless
   * strict), selecting labels it has. Bound by {@link #bindCandidate}.
   */
  private String candidate() {
    return "state = 'QUEUED' AND pool = ? AND not_before <= ? AND cpu_millis <= ?"
        + " AND memory_bytes <= ? AND (cluster IS NULL OR cluster = ? OR (NOT strict_cluster AND"
        + " cluster NOT IN (SELECT cluster FROM workers WHERE pool = ? AND last_seen_at >= ?)))"
        + " AND (selector_json IS NULL OR "
        + db.dialect().labelsMatch("selector_json")
        + ")";
  }

  private static int bindCandidate(
      PreparedStatement ps, int i, Claim claim, Instant now, Duration ahead) throws SQLException {
    WorkerInfo w = claim.worker();
    Allocation capacity = Allocation.of(w.capacity());
    ps.setString(i++, w.pool());
    ps.setLong(i++, now.plus(ahead).toEpochMilli());
    ps.setLong(i++, capacity.millicores());
    ps.setLong(i++, capacity.memoryBytes());
    ps.setString(i++, w.cluster());
    ps.setString(i++, w.pool());
    ps.setLong(i++, now.minus(claim.liveness()).toEpochMilli());
    ps.setString(i++, Json.write(w.labels()));
    return i;
  }

  /**
   * The ids of the best {@code n} candidates (bound by {@link #bindBest}), without locking them:
   * the best of each cpu size class the worker can hold (see {@link SizeClass}), merged by rank.
   * Each class is one index scan that reads about {@code n} rows, so a small worker does not read
   * past every attempt too big for it that outranks the ones it can take.
   */
  private String best(int classes) {
    StringBuilder union = new StringBuilder();
    for (int k = 0; k < classes; k++) {
      union
          .append(k == 0 ? "" : " UNION ALL ")
          .append("SELECT * FROM (SELECT id, rank FROM attempts WHERE cpu_class = ? AND ")
          .append(candidate())
          .append(" ORDER BY rank DESC, id LIMIT ?) c")
          .append(k);
    }
    return "SELECT id FROM (" + union + ") u ORDER BY rank DESC, id LIMIT ?";
  }

  private static int bindBest(
      PreparedStatement ps, int i, int classes, int n, Claim claim, Instant now, Duration ahead)
      throws SQLException {
    for (int k = 0; k < classes; k++) {
      ps.setInt(i++, k);
      i = bindCandidate(ps, i, claim, now, ahead);
      ps.setInt(i++, n);
    }
    ps.setInt(i++, n);
    return i;
  }

  private void genericPlans(Connection c) throws SQLException {
    String sql = db.dialect().genericPlans();
    if (sql != null) {
      try (java.sql.Statement s = c.createStatement()) {
        s.execute(sql);
      }
    }
  }

  boolean waitsForCapacity(Claim claim, Instant now, Duration ahead) {
    int classes = SizeClass.cpu(claim.worker().capacity().millicores()) + 1;
    return db.tx(c -> {
      genericPlans(c);
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT cpu_millis, memory_bytes FROM attempts WHERE "
                  + db.idInQuery("id", best(classes))
                  + " ORDER BY rank DESC, id LIMIT 1")) {
        bindBest(ps, 1, classes, 1, claim, now, ahead);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() && !new Allocation(rs.getLong(1), rs.getLong(2)).fits(claim.free());
        }
      }
    });
  }

  /**
   * The claimed attempts with the outputs of their upstream tasks (the latest succeeded attempt of
   * each), in one query for all of them; roots need none and cost nothing.
   */
  private List<Assignment> withInputs(Connection c, List<Assignment> claimed) throws SQLException {
    // the (run, upstream task) pairs the claimed attempts take inputs from: read through the
    // (run_id, task_name, attempt) key, not by reading every attempt of the runs (a 10,000-task
    // run made each claim read 10,000 rows)
    Set<List<Object>> pairs = new LinkedHashSet<>();
    for (Assignment a : claimed) {
      for (String upstream : a.task().dependsOn()) {
        pairs.add(List.of(a.runId(), upstream));
      }
    }
    if (pairs.isEmpty()) {
      return claimed;
    }
    Map<Long, Map<String, Map<String, String>>> outputs = new HashMap<>();
    List<Object[]> rows = pairs.stream().map(List::toArray).toList();
    for (int from = 0; from < rows.size(); from += MAX_IN) {
      List<Object[]> chunk = rows.subList(from, Math.min(rows.size(), from + MAX_IN));
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT a.run_id, a.task_name, a.outputs_json FROM "
                  + db.rows(chunk.size(), "BIGINT", "TEXT")
                  + " JOIN attempts a ON a.run_id = v.column1 AND a.task_name = v.column2"
                  + " WHERE a.state = 'SUCCEEDED' AND NOT a.cleared AND a.outputs_json IS NOT NULL"
                  + " ORDER BY a.id")) {
        db.bindRows(ps, 1, chunk, "BIGINT", "TEXT");
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            outputs
                .computeIfAbsent(rs.getLong(1), r -> new HashMap<>())
                .put(rs.getString(2), TaskOutputs.fromJson(rs.getString(3)));
          }
        }
      }
    }
    List<Assignment> result = new ArrayList<>(claimed.size());
    for (Assignment a : claimed) {
      Map<String, Map<String, String>> ofRun = outputs.getOrDefault(a.runId(), Map.of());
      Map<String, Map<String, String>> inputs = new LinkedHashMap<>();
      for (String upstream : a.task().dependsOn()) {
        if (ofRun.containsKey(upstream)) {
          inputs.put(upstream, ofRun.get(upstream));
        }
      }
      result.add(inputs.isEmpty() ? a : a.withInputs(inputs));
    }
    return result;
  }

  /** Runs not started yet become RUNNING, started at the given times. */
  private static void markRunsStarted(Connection c, Map<Long, Long> runStarts) throws SQLException {
    if (runStarts.isEmpty()) {
      return;
    }
    String values = Database.valuesRows(runStarts.size(), "BIGINT", "BIGINT");
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE runs SET state = 'RUNNING', started_at = v.column2 FROM (VALUES "
                + values
                + ") AS v WHERE runs.id = v.column1 AND runs.state = 'PENDING'")) {
      int i = 1;
      for (Map.Entry<Long, Long> e : runStarts.entrySet()) {
        ps.setLong(i++, e.getKey());
        ps.setLong(i++, e.getValue());
      }
      ps.executeUpdate();
    }
  }

  HeartbeatReply heartbeat(String workerId, Collection<Lease> leases, Instant now, Duration lease) {
    if (leases.isEmpty()) {
      return new HeartbeatReply(Set.of(), Set.of());
    }
    Map<Long, Long> fences = fences(leases);
    return db.tx(c -> {
      Set<Long> cancel = new HashSet<>();
      Set<Long> lost = new HashSet<>(fences.keySet());
      List<Long> all = List.copyOf(fences.keySet());
      for (int from = 0; from < all.size(); from += MAX_IN) {
        List<Long> chunk = all.subList(from, Math.min(all.size(), from + MAX_IN));
        // skipping rows another transaction has locked: those are being ended (by this worker's
        // own completion batch, which holds them in another order: waiting would deadlock) or
        // cancelled; the next heartbeat renews any still running
        try (PreparedStatement ps =
            c.prepareStatement(
                "UPDATE attempts SET lease_expires_at = ? WHERE id IN (SELECT id FROM attempts"
                    + " WHERE worker_id = ? AND "
                    + Database.stateIs("state", "RUNNING")
                    + " AND "
                    + db.idIn("id", chunk.size())
                    + " AND "
                    + db.idIn("fence", chunk.size())
                    + db.dialect().skipLocked()
                    + ") RETURNING id, cancel_requested, fence")) {
          ps.setLong(1, now.plus(lease).toEpochMilli());
          ps.setString(2, workerId);
          int i = db.bindIds(ps, 3, chunk);
          db.bindIds(ps, i, chunk.stream().map(fences::get).toList());
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              long id = rs.getLong(1);
              if (rs.getLong(3) != fences.get(id)) {
                continue;
              }
              lost.remove(id);
              if (rs.getBoolean(2)) {
                cancel.add(id);
              }
            }
          }
        }
      }
      if (!lost.isEmpty() && !db.dialect().skipLocked().isEmpty()) {
        // a row the heartbeat skipped as locked is not lost while the transaction holding it has
        // not ended it
        Map<Long, Long> skipped = new HashMap<>();
        lost.forEach(id -> skipped.put(id, fences.get(id)));
        lost.removeAll(held(c, workerId, skipped, ""));
      }
      return new HeartbeatReply(cancel, lost);
    });
  }

  /** The refusal of a call about attempts {@code workerId} does not hold. */
  static ConflictException notHeld(String workerId, java.util.stream.Stream<Long> ids) {
    List<String> list = ids.map(String::valueOf).toList();
    return new ConflictException(
        "worker "
            + workerId
            + " does not hold attempt"
            + (list.size() == 1 ? " " : "s ")
            + String.join(", ", list)
            + " under the fence sent: it ended, was lost or given back, or was claimed anew;"
            + " nothing of the call was recorded");
  }

  /** Attempt id to fence, of leases that name each attempt once (the last wins). */
  private static Map<Long, Long> fences(Collection<Lease> leases) {
    Map<Long, Long> fences = new HashMap<>();
    leases.forEach(l -> fences.put(l.attemptId(), l.fence()));
    return fences;
  }

  /**
   * Which of the attempts in {@code fences} (id to fence) are running on the worker under that
   * claim, as last committed, read by primary key (then locked in id order if {@code lock} says
   * so).
   */
  private Set<Long> held(Connection c, String workerId, Map<Long, Long> fences, String lock)
      throws SQLException {
    Set<Long> held = new HashSet<>();
    List<Long> all = List.copyOf(fences.keySet());
    for (int from = 0; from < all.size(); from += MAX_IN) {
      List<Long> chunk = all.subList(from, Math.min(all.size(), from + MAX_IN));
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT id, fence FROM attempts WHERE worker_id = ? AND "
                  + Database.stateIs("state", "RUNNING")
                  + " AND "
                  + db.idIn("id", chunk.size())
                  + " ORDER BY id"
                  + lock)) {
        ps.setString(1, workerId);
        db.bindIds(ps, 2, chunk);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            long id = rs.getLong(1);
            if (rs.getLong(2) == fences.get(id)) {
              held.add(id);
            }
          }
        }
      }
    }
    return held;
  }

  int release(String workerId, Collection<Lease> leases, Instant now) {
    if (leases.isEmpty()) {
      return 0;
    }
    Map<Long, Long> fences = fences(leases);
    List<Long> all = List.copyOf(fences.keySet());
    return db.tx(c -> {
      int released = 0;
      for (int from = 0; from < all.size(); from += MAX_IN) {
        List<Long> chunk = all.subList(from, Math.min(all.size(), from + MAX_IN));
        try (PreparedStatement ps =
            c.prepareStatement(
                "UPDATE attempts SET state = 'QUEUED', worker_id = NULL, fence = NULL,"
                    + " lease_expires_at = NULL, started_at = NULL, not_before = ? WHERE worker_id = ?"
                    + " AND "
                    + Database.stateIs("state", "RUNNING")
                    + " AND "
                    + db.idIn("id", chunk.size())
                    + " AND "
                    + db.idIn("fence", chunk.size()))) {
          ps.setLong(1, now.toEpochMilli());
          ps.setString(2, workerId);
          int i = db.bindIds(ps, 3, chunk);
          db.bindIds(ps, i, chunk.stream().map(fences::get).toList());
          released += ps.executeUpdate();
        }
      }
      return released;
    });
  }

  Completed complete(
      String workerId, List<Completion> completions, Instant now, RandomGenerator random) {
    if (completions.isEmpty()) {
      return Completed.NONE;
    }
    return db.tx(c -> record(c, workerId, completions, true, now, random));
  }

  /** The RUNNING attempts whose lease expired before {@code now}, oldest lease first. */
  List<Long> expired(Instant now, int limit) {
    return db.read(c -> {
      List<Long> ids = new ArrayList<>();
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT id FROM attempts WHERE state = 'RUNNING' AND lease_expires_at < ?"
                  + " ORDER BY lease_expires_at LIMIT ?")) {
        ps.setLong(1, now.toEpochMilli());
        ps.setInt(2, limit);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            ids.add(rs.getLong(1));
          }
        }
      }
      return ids;
    });
  }

  /**
   * Ends as LOST those of {@code ids} that are still RUNNING with a lease that expired before
   * {@code now} (a heartbeat may have renewed one meanwhile; rows another replica is reaping are
   * skipped), and applies their retry policies.
   */
  Completed reap(Collection<Long> ids, Instant now, RandomGenerator random) {
    if (ids.isEmpty()) {
      return Completed.NONE;
    }
    return db.tx(c -> {
      Map<String, List<Completion>> byWorker = new LinkedHashMap<>();
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT id, worker_id, fence FROM attempts WHERE "
                  + db.idIn("id", ids.size())
                  + " AND state = 'RUNNING' AND lease_expires_at < ? ORDER BY id"
                  + db.dialect().skipLocked())) {
        int i = db.bindIds(ps, 1, ids);
        ps.setLong(i, now.toEpochMilli());
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
                            "lease expired: worker " + worker + " stopped heartbeating")
                        .fenced(rs.getLong(3)));
          }
        }
      }
      List<AttemptEnd> reaped = new ArrayList<>();
      int queued = 0;
      for (Map.Entry<String, List<Completion>> e : byWorker.entrySet()) {
        Completed done = record(c, e.getKey(), e.getValue(), false, now, random);
        reaped.addAll(done.ended());
        queued += done.queued();
      }
      return new Completed(reaped, queued, Set.of());
    });
  }

  /**
   * An accepted outcome with what the follow-up needs; {@code spec} is null when the outcome
   * {@linkplain #finishesRun finishes its run} (the statement that ended it needs nothing more).
   */
  private record Ended(
      long attemptId,
      long runId,
      String task,
      int attempt,
      int retryBase,
      int lostBefore,
      boolean soleTask,
      RunQueries.Placing placing,
      TaskSpec spec,
      Completion completion,
      AttemptEnd end) {

    /** The run's only task succeeded: the run has succeeded, whatever its job says. */
    boolean finishesRun() {
      return soleTask && completion.outcome() == AttemptState.SUCCEEDED;
    }
  }

  /** Records outcomes guarded by the lease, then retries or advances their runs. */
  /**
   * Records outcomes of attempts {@code workerId} holds. {@code strict}: a completion of an attempt
   * it does not hold under the completion's fence is a {@link ConflictException}, and the
   * transaction changes nothing; else such completions are skipped.
   */
  private Completed record(
      Connection c,
      String workerId,
      List<Completion> completions,
      boolean strict,
      Instant now,
      RandomGenerator random)
      throws SQLException {
    List<Ended> accepted = markEnded(c, workerId, completions, strict, now);
    int emittedRuns = emit(c, accepted, now);
    List<Finish> finishes = new ArrayList<>();
    List<Ended> ended = new ArrayList<>(accepted.size());
    for (Ended e : accepted) {
      if (!e.finishesRun()) {
        ended.add(e);
      } else if (!db.dialect().writesInWith()) {
        // where the statement that ended it could not finish the run too
        finishes.add(new Finish(e.runId(), RunState.SUCCEEDED, null));
      }
    }
    Map<Long, RunRecord> runById = new HashMap<>();
    if (!ended.isEmpty()) {
      // locked: two transactions that end tasks of one run at once (two workers, two batches of
      // one) must advance it one after the other, each seeing the other's ends; else both see the
      // other task still running and neither queues the task that waits for both
      for (RunRecord r : lockRuns(c, ended.stream().map(Ended::runId).distinct().toList())) {
        runById.put(r.id(), r);
      }
    }
    Map<String, SpecCache.Version> versions = versions(c, runById.values());
    List<RunQueries.NewAttempt> retries = new ArrayList<>();
    List<AlertQueries.Event> events = new ArrayList<>();
    // each run advances once per batch, after its retries are queued (so that it sees them), from
    // the ended attempt that best says why: a failure over a success
    Map<Long, Ended> toAdvance = new LinkedHashMap<>();
    for (Ended e : ended) {
      RunRecord run = runById.get(e.runId());
      AttemptState outcome = e.completion().outcome();
      // a cancelled run is over already; a CANCELLED report for an active run (a worker that
      // stopped it on its own) still ends the task, so the run cannot hang
      if (run == null || !run.state().active()) {
        continue;
      }
      RetryPolicy policy = e.spec().retryPolicy();
      if (outcome == AttemptState.LOST && policy.forgivesLoss(e.lostBefore())) {
        // its worker died, or the claim never reached it: not the task's failure, so queued again
        // at once under the loss budget, without using a retry
        retries.add(
            new RunQueries.NewAttempt(
                run,
                e.spec(),
                e.attempt() + 1,
                e.soleTask(),
                e.placing(),
                now,
                now,
                e.retryBase(),
                e.lostBefore() + 1));
        continue;
      }
      // a task re-run by an operator gets its retries anew: count from its retry base; forgiven
      // losses are not tries
      int tries = e.attempt() - e.retryBase() - e.lostBefore();
      if (outcome.retryable() && !e.completion().permanent() && policy.allowsRetryAfter(tries)) {
        Duration delay = policy.delayBeforeRetry(tries, random.nextDouble());
        retries.add(
            new RunQueries.NewAttempt(
                run,
                e.spec(),
                e.attempt() + 1,
                e.soleTask(),
                e.placing(),
                Saturating.plus(now, delay),
                now,
                e.retryBase(),
                e.lostBefore()));
        continue;
      }
      if (outcome.retryable() && !e.completion().permanent() && policy.maxRetries() > 0) {
        events.add(
            new AlertQueries.Event(
                e.runId(),
                AlertKind.RETRIES_EXHAUSTED,
                e.task(),
                "task "
                    + e.task()
                    + " "
                    + outcome.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
                    + " on attempt "
                    + e.attempt()
                    + ", its last: "
                    + (e.completion().error() != null
                        ? e.completion().error()
                        : "exit code " + e.completion().exitCode())));
      }
      toAdvance.merge(
          e.runId(), e, (a, b) -> a.completion().outcome() == AttemptState.SUCCEEDED ? b : a);
    }
    runs.insertAttempts(c, retries);
    List<RunQueries.NewAttempt> next = new ArrayList<>();
    for (Ended e : toAdvance.values()) {
      RunRecord run = runById.get(e.runId());
      advance(c, run, versions.get(versionKey(run)), e, now, next, finishes);
    }
    runs.insertAttempts(c, next);
    finish(c, finishes, now);
    for (Finish f : finishes) {
      if (f.state() == RunState.FAILED) {
        events.add(new AlertQueries.Event(f.runId(), AlertKind.RUN_FAILED, null, f.reason()));
      }
    }
    AlertQueries.record(c, events, now);
    List<RunQueries.NewAttempt> due = new ArrayList<>(next);
    retries.stream().filter(r -> !r.notBefore().isAfter(now)).forEach(due::add);
    // the pools of runs that emitted events started are not known here: wake every pool's workers
    Set<String> pools =
        emittedRuns > 0
            ? Set.of()
            : due.stream().map(a -> a.placing().pool()).collect(Collectors.toSet());
    return new Completed(
        accepted.stream().map(Ended::end).toList(), due.size() + emittedRuns, pools);
  }

  private record Finish(long runId, RunState state, String reason) {}

  /**
   * The events that tasks which succeeded emit ({@code emits}), received in this transaction: the
   * jobs subscribed to them start now. Source {@code kairos://NAMESPACE/JOB}, id {@code RUN/TASK}
   * (one event per task and run), data the task's outputs with {@code run}, {@code job} and {@code
   * task}. Returns the runs they started.
   */
  private int emit(Connection c, List<Ended> accepted, Instant now) throws SQLException {
    int started = 0;
    for (Ended e : accepted) {
      if (e.completion().outcome() != AttemptState.SUCCEEDED
          || e.spec() == null
          || e.spec().emits().isEmpty()) {
        continue;
      }
      Map<String, String> data = new LinkedHashMap<>(e.completion().outputs());
      data.put("run", String.valueOf(e.runId()));
      data.put("job", e.end().namespace() + "/" + e.end().job());
      data.put("task", e.task());
      for (String type : e.spec().emits()) {
        started +=
            events
                .receive(
                    c,
                    new NewEvent(
                        type,
                        "kairos://" + e.end().namespace() + "/" + e.end().job(),
                        e.runId() + "/" + e.task(),
                        Json.write(data)),
                    now)
                .runs()
                .size();
      }
    }
    return started;
  }

  private void advance(
      Connection c,
      RunRecord run,
      SpecCache.Version version,
      Ended e,
      Instant now,
      List<RunQueries.NewAttempt> next,
      List<Finish> finishes)
      throws SQLException {
    TaskHistory history =
        version.order().tasks().size() == 1
            ? new TaskHistory(Map.of(e.task(), e.completion().outcome()), Map.of(), Map.of())
            : TaskHistory.load(c, run.id());
    RunAdvance advance = RunAdvancer.advance(version.order(), history.latest(), history.marks());
    next.addAll(queued(run, version.manifest(), advance, history, now));
    if (advance.finalState() != null) {
      String reason = advance.reason();
      Completion done = e.completion();
      if (advance.finalState() == RunState.FAILED && done.outcome() != AttemptState.SUCCEEDED) {
        // the attempt that ended the run failed: say how
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

  /**
   * The job versions of the runs, parsed and sorted: one query for their keys, and the manifests
   * only of versions not cached yet (a 10,000-task manifest is half a megabyte, and a large DAG
   * advances many times).
   */
  private Map<String, SpecCache.Version> versions(Connection c, Collection<RunRecord> runs)
      throws SQLException {
    Map<String, RunRecord> distinct = new LinkedHashMap<>();
    runs.forEach(r -> distinct.putIfAbsent(versionKey(r), r));
    Map<String, SpecCache.Version> result = new HashMap<>();
    List<RunRecord> list = List.copyOf(distinct.values());
    for (int from = 0; from < list.size(); from += 500) {
      List<RunRecord> chunk = list.subList(from, Math.min(list.size(), from + 500));
      Map<String, String> missing = new HashMap<>(); // versionKey -> cache key
      readVersions(
          c,
          chunk,
          false,
          (key, cacheKey, json) -> {
            SpecCache.Version v = specs.cachedVersion(cacheKey);
            if (v == null) {
              missing.put(key, cacheKey);
            } else {
              result.put(key, v);
            }
          });
      if (!missing.isEmpty()) {
        List<RunRecord> uncached =
            chunk.stream().filter(r -> missing.containsKey(versionKey(r))).toList();
        readVersions(
            c,
            uncached,
            true,
            (key, cacheKey, json) -> result.put(key, specs.version(cacheKey, json)));
      }
    }
    return result;
  }

  private interface VersionRow {
    void accept(String versionKey, String cacheKey, String manifestJson);
  }

  /**
   * Reads the job versions of {@code runs} (with their manifests if {@code withManifest}) through a
   * join with the keys as a VALUES table: one index probe each (an OR of 500 conditions makes the
   * planner combine 500 index scans).
   */
  private static void readVersions(
      Connection c, List<RunRecord> runs, boolean withManifest, VersionRow row)
      throws SQLException {
    String keys = Database.valuesRows(runs.size(), "TEXT", "TEXT", "BIGINT");
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT jv.namespace, jv.name, jv.version, jv.created_at"
                + (withManifest ? ", jv.manifest_json" : "")
                + " FROM (VALUES "
                + keys
                + ") AS v JOIN job_versions jv ON jv.namespace = v.column1"
                + " AND jv.name = v.column2 AND jv.version = v.column3")) {
      int i = 1;
      for (RunRecord r : runs) {
        ps.setString(i++, r.job().namespace());
        ps.setString(i++, r.job().name());
        ps.setLong(i++, r.jobVersion());
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String key = rs.getString(1) + "/" + rs.getString(2) + "@" + rs.getLong(3);
          row.accept(key, key + "#" + rs.getLong(4), withManifest ? rs.getString(5) : null);
        }
      }
    }
  }

  private static String versionKey(RunRecord r) {
    return r.job().namespace() + "/" + r.job().name() + "@" + r.jobVersion();
  }

  /**
   * The attempts of the tasks the advancer queues: each the task's next attempt number, counting
   * its retries from there (a task queued again after its attempts were cleared retries anew).
   */
  static List<RunQueries.NewAttempt> queued(
      RunRecord run, JobManifest manifest, RunAdvance advance, TaskHistory history, Instant now) {
    List<TaskSpec> tasks = manifest.spec().tasks();
    Map<String, TaskSpec> byName = new HashMap<>();
    tasks.forEach(t -> byName.put(t.name(), t));
    List<RunQueries.NewAttempt> next = new ArrayList<>();
    for (String name : advance.queue()) {
      TaskSpec task = byName.get(name);
      int attempt = history.nextAttempt(name);
      next.add(
          new RunQueries.NewAttempt(
              run,
              task,
              attempt,
              tasks.size() == 1,
              RunQueries.Placing.of(manifest.spec().placement(), run.id()),
              now,
              now,
              attempt - 1,
              0));
    }
    return next;
  }

  /**
   * Ends the attempts that {@code workerId} still holds, in one statement per chunk, and returns
   * what the follow-up needs of each accepted one. Others (lease lost, already ended) are skipped.
   */
  private List<Ended> markEnded(
      Connection c, String workerId, List<Completion> completions, boolean strict, Instant now)
      throws SQLException {
    List<Completion> valid =
        completions.stream().filter(d -> AttemptState.RUNNING.canBecome(d.outcome())).toList();
    Map<Long, Completion> byId = new HashMap<>();
    valid.forEach(d -> byId.put(d.attemptId(), d));
    List<Ended> ended = new ArrayList<>(valid.size());
    long nowMillis = now.toEpochMilli();
    for (int from = 0; from < valid.size(); from += MAX_IN) {
      List<Completion> offered = valid.subList(from, Math.min(valid.size(), from + MAX_IN));
      // first the ones still held, locked (in id order): the statement that ends them then finds
      // them by id alone. With the state and worker in that statement, a planner misled by the
      // partial lease index's dead entries expected one row and joined the values to it by nested
      // loop: 100 ends took 10 ms, 300 took 100 ms
      Set<Long> held =
          held(
              c,
              workerId,
              fences(offered.stream().map(Completion::lease).toList()),
              db.dialect().lockRows());
      List<Completion> chunk = offered.stream().filter(d -> held.contains(d.attemptId())).toList();
      if (strict && chunk.size() < offered.size()) {
        throw notHeld(
            workerId,
            offered.stream().filter(d -> !held.contains(d.attemptId())).map(Completion::attemptId));
      }
      if (chunk.isEmpty()) {
        continue;
      }
      // a VALUES list on PostgreSQL too, not Database.rows: the unnest form planned the batches of
      // sole-task ends so badly that the no-op drain fell from ~23,000 to ~6,500 runs/s
      String[] types = {"BIGINT", "TEXT", "INTEGER", "TEXT", "TEXT"};
      String end =
          "UPDATE attempts SET state = v.column2, exit_code = v.column3, error = v.column4,"
              + " outputs_json = v.column5, finished_at = ?, lease_expires_at = NULL FROM (VALUES "
              + Database.valuesRows(chunk.size(), types)
              + ") AS v WHERE attempts.id = v.column1 AND "
              + db.idIn("attempts.id", chunk.size())
              + " RETURNING attempts.id, attempts.run_id, attempts.task_name, attempts.attempt,"
              + " attempts.retry_base, attempts.sole_task, attempts.pool,"
              // the task is needed only where the run goes on (or retries), or it emits events
              + " CASE WHEN attempts.sole_task AND attempts.state = 'SUCCEEDED'"
              + " AND attempts.task_json NOT LIKE '%\"emits\":%' THEN NULL"
              + " ELSE attempts.task_json END AS task_json, attempts.state, attempts.cluster,"
              + " attempts.strict_cluster, attempts.selector_json, attempts.namespace,"
              + " attempts.job_name, attempts.started_at, attempts.lost_before";
      boolean oneStatement = db.dialect().writesInWith();
      if (oneStatement) {
        // a sole task's success finishes its run in the same statement (see Ended.finishesRun)
        end =
            "WITH ended AS ("
                + end
                + "), finished AS (UPDATE runs SET state = 'SUCCEEDED', finished_at = ?"
                + " WHERE runs.id IN (SELECT run_id FROM ended WHERE sole_task AND state = 'SUCCEEDED')"
                + " AND "
                + RunQueries.ACTIVE
                + ") SELECT * FROM ended";
      }
      try (PreparedStatement ps = c.prepareStatement(end)) {
        int i = 1;
        ps.setLong(i++, now.toEpochMilli());
        List<Object[]> rows = new ArrayList<>(chunk.size());
        for (Completion d : chunk) {
          rows.add(
              new Object[] {
                d.attemptId(),
                d.outcome().name(),
                d.exitCode(),
                d.error(),
                // outputs count only from a success
                d.outcome() == AttemptState.SUCCEEDED ? TaskOutputs.toJson(d.outputs()) : null
              });
        }
        i = Database.bindValues(ps, i, rows, types);
        i = db.bindIds(ps, i, chunk.stream().map(Completion::attemptId).toList());
        if (oneStatement) {
          ps.setLong(i, now.toEpochMilli());
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            long id = rs.getLong(1);
            String task = rs.getString(8);
            Completion completion = byId.get(id);
            long startedAt = rs.getLong(15);
            Duration ran =
                rs.wasNull()
                    ? Duration.ZERO
                    : Duration.ofMillis(Math.max(0, nowMillis - startedAt));
            ended.add(
                new Ended(
                    id,
                    rs.getLong(2),
                    rs.getString(3),
                    rs.getInt(4),
                    rs.getInt(5),
                    rs.getInt(16),
                    rs.getBoolean(6),
                    new RunQueries.Placing(
                        rs.getString(7), rs.getString(10), rs.getBoolean(11), rs.getString(12)),
                    task == null ? null : specs.task(task),
                    completion,
                    new AttemptEnd(
                        rs.getString(13),
                        rs.getString(14),
                        rs.getString(3),
                        completion.outcome(),
                        ran)));
          }
        }
      }
    }
    return ended;
  }

  /**
   * The runs, locked until the transaction ends, in id order (so that transactions locking several
   * runs cannot deadlock on each other). A statement after this sees what the transactions that
   * held the locks committed (PostgreSQL's READ COMMITTED takes a new snapshot per statement).
   */
  private List<RunRecord> lockRuns(Connection c, List<Long> unsorted) throws SQLException {
    List<Long> ids = unsorted.stream().sorted().toList();
    List<RunRecord> list = new ArrayList<>(ids.size());
    for (int from = 0; from < ids.size(); from += MAX_IN) {
      List<Long> chunk = ids.subList(from, Math.min(ids.size(), from + MAX_IN));
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT "
                  + RunQueries.COLUMNS
                  + " FROM runs WHERE "
                  + db.idIn("id", chunk.size())
                  + " ORDER BY id"
                  + db.dialect().lockRows())) {
        db.bindIds(ps, 1, chunk);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            list.add(RunQueries.run(rs));
          }
        }
      }
    }
    return list;
  }

  private void finish(Connection c, List<Finish> finishes, Instant now) throws SQLException {
    for (int from = 0; from < finishes.size(); from += MAX_IN) {
      List<Finish> chunk = finishes.subList(from, Math.min(finishes.size(), from + MAX_IN));
      String values = Database.valuesRows(chunk.size(), "BIGINT", "TEXT", "TEXT");
      try (PreparedStatement ps =
          c.prepareStatement(
              "UPDATE runs SET state = v.column2, reason = v.column3, finished_at = ? FROM (VALUES "
                  + values
                  + ") AS v WHERE runs.id = v.column1 AND "
                  + db.idIn("runs.id", chunk.size())
                  + " AND "
                  + RunQueries.ACTIVE)) {
        int i = 1;
        ps.setLong(i++, now.toEpochMilli());
        for (Finish f : chunk) {
          ps.setLong(i++, f.runId());
          ps.setString(i++, f.state().name());
          ps.setString(i++, f.reason());
        }
        db.bindIds(ps, i, chunk.stream().map(Finish::runId).toList());
        ps.executeUpdate();
      }
    }
  }
}
