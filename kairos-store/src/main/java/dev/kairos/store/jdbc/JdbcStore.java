package dev.kairos.store.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import dev.kairos.core.alert.AlertKind;
import dev.kairos.core.alert.Webhook;
import dev.kairos.core.predict.Sample;
import dev.kairos.core.protocol.Assignment;
import dev.kairos.core.protocol.Completion;
import dev.kairos.core.protocol.HeartbeatReply;
import dev.kairos.core.protocol.Lease;
import dev.kairos.core.protocol.LogChunk;
import dev.kairos.core.protocol.WorkerInfo;
import dev.kairos.core.run.RunState;
import dev.kairos.core.spec.JobKey;
import dev.kairos.core.spec.JobManifest;
import dev.kairos.store.ActiveRuns;
import dev.kairos.store.AlertQuery;
import dev.kairos.store.AlertRecord;
import dev.kairos.store.ApplyResult;
import dev.kairos.store.AttemptRecord;
import dev.kairos.store.AuditEntry;
import dev.kairos.store.AuditQuery;
import dev.kairos.store.Claim;
import dev.kairos.store.Completed;
import dev.kairos.store.EventIntake;
import dev.kairos.store.HistoryCut;
import dev.kairos.store.JobRecord;
import dev.kairos.store.JobVersion;
import dev.kairos.store.NewEvent;
import dev.kairos.store.NewRun;
import dev.kairos.store.PoolBacklog;
import dev.kairos.store.PoolSettings;
import dev.kairos.store.Pruned;
import dev.kairos.store.RunQuery;
import dev.kairos.store.RunRecord;
import dev.kairos.store.Store;
import dev.kairos.store.TokenInfo;
import dev.kairos.store.TokenRecord;
import dev.kairos.store.TriggerPlanner;
import dev.kairos.store.WorkerRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * The one {@link Store} implementation: JDBC, with the SQL grouped by concern (jobs, runs,
 * triggers, queue, logs) and the database differences in a {@link Dialect}.
 */
public final class JdbcStore implements Store {
  private final HikariDataSource dataSource;
  private final JobQueries jobs;
  private final RunQueries runs;
  private final TriggerQueries triggers;
  private final QueueQueries queue;
  private final LogQueries logs;
  private final TokenQueries tokens;
  private final RunRepairs repairs;
  private final PoolQueries pools;
  private final WorkerQueries workers;
  private final AuditQueries audit;
  private final AlertQueries alerts;
  private final EventQueries events;
  private final HeldRuns held;
  private final SetAsideQueries setAside;
  private final RetentionQueries retention;

  public JdbcStore(HikariDataSource dataSource, Dialect dialect) {
    this.dataSource = dataSource;
    Database db = new Database(dataSource, dialect);
    SpecCache specs = new SpecCache();
    this.jobs = new JobQueries(db, specs);
    this.pools = new PoolQueries(db);
    this.workers = new WorkerQueries(db);
    this.audit = new AuditQueries(db);
    this.alerts = new AlertQueries(db, jobs);
    this.runs = new RunQueries(db, jobs, specs, pools);
    this.events = new EventQueries(db, jobs, runs);
    this.held = new HeldRuns(db, jobs, runs);
    this.triggers = new TriggerQueries(db, jobs, runs);
    this.queue = new QueueQueries(db, runs, specs, pools, events);
    this.logs = new LogQueries(db);
    this.tokens = new TokenQueries(db);
    this.repairs = new RunRepairs(db, jobs, runs);
    this.setAside = new SetAsideQueries(db, runs);
    this.retention = new RetentionQueries(db, jobs);
  }

  @Override
  public ApplyResult applyJob(JobManifest manifest, String json, Instant nextFireAt, Instant now) {
    return jobs.apply(manifest, json, nextFireAt, now);
  }

  @Override
  public Optional<JobRecord> findJob(JobKey key) {
    return jobs.find(key);
  }

  @Override
  public List<JobRecord> listJobs(String namespace) {
    return jobs.list(namespace);
  }

  @Override
  public Optional<JobManifest> jobVersion(JobKey key, long version) {
    return jobs.version(key, version);
  }

  @Override
  public List<JobVersion> jobVersions(JobKey key, int limit) {
    return jobs.versions(key, limit);
  }

  @Override
  public boolean deleteJob(JobKey key) {
    return jobs.delete(key);
  }

  @Override
  public Optional<JobRecord> setSuspended(
      JobKey key, boolean suspended, Instant nextFireAt, Instant now) {
    return jobs.setSuspended(key, suspended, nextFireAt, now);
  }

  @Override
  public List<RunRecord> fireDueTriggers(
      Instant now, Duration ahead, int maxJobs, TriggerPlanner planner) {
    return triggers.fireDue(now, ahead, maxJobs, planner);
  }

  @Override
  public List<JobKey> dueJobs(Instant now, Duration ahead, int maxJobs) {
    return triggers.due(now, ahead, maxJobs);
  }

  @Override
  public List<RunRecord> fireDueTrigger(
      JobKey job, Instant now, Duration ahead, TriggerPlanner planner) {
    return triggers.fireDue(job, now, ahead, planner);
  }

  @Override
  public Optional<Instant> nextFireTime(Duration ahead) {
    return jobs.nextFireTime(ahead);
  }

  @Override
  public RunRecord createRun(NewRun run, Instant now) {
    return runs.create(List.of(run), now).get(0);
  }

  @Override
  public List<RunRecord> createRuns(List<NewRun> newRuns, Instant now) {
    return newRuns.isEmpty() ? List.of() : runs.create(newRuns, now);
  }

  @Override
  public Optional<RunRecord> findRun(long runId) {
    return runs.find(runId);
  }

  @Override
  public List<RunRecord> listRuns(RunQuery query) {
    return runs.list(query);
  }

  @Override
  public long countRuns(JobKey job, RunState state) {
    return runs.count(job, state);
  }

  @Override
  public Map<String, List<Sample>> taskDurations(JobKey job, long beforeRunId, int runs) {
    return this.runs.taskDurations(job, beforeRunId, runs);
  }

  @Override
  public ActiveRuns activeRuns() {
    return runs.active();
  }

  @Override
  public List<AttemptRecord> attemptsOf(long runId) {
    return runs.attempts(runId);
  }

  @Override
  public Optional<RunRecord> cancelRun(long runId, String reason, Instant now) {
    return runs.cancel(runId, reason, now);
  }

  @Override
  public RunRecord repairRun(long runId, dev.kairos.store.RunRepair repair, Instant now) {
    return repairs.repair(runId, repair, now);
  }

  @Override
  public java.util.Map<String, String> taskMarks(long runId) {
    return repairs.marks(runId);
  }

  @Override
  public List<Assignment> claimAttempts(Claim claim, Instant now, Duration ahead, Duration lease) {
    return queue.claim(claim, now, ahead, lease);
  }

  @Override
  public boolean waitsForCapacity(Claim claim, Instant now, Duration ahead) {
    return queue.waitsForCapacity(claim, now, ahead);
  }

  @Override
  public List<JobKey> jobsWithHeldRuns() {
    return held.waiting();
  }

  @Override
  public int releaseHeldRuns(JobKey job, Instant now) {
    return held.release(job, now);
  }

  @Override
  public void recordWorker(WorkerInfo worker, Instant now) {
    workers.record(worker, now);
  }

  @Override
  public void touchWorker(String workerId, Instant now) {
    workers.touch(workerId, now);
  }

  @Override
  public void forgetWorker(String workerId) {
    workers.forget(workerId);
  }

  @Override
  public List<WorkerRecord> liveWorkers(Instant since) {
    return workers.live(since);
  }

  @Override
  public int pruneWorkers(Instant before) {
    return workers.prune(before);
  }

  @Override
  public List<PoolBacklog> backlog(Instant now) {
    return workers.backlog(now);
  }

  @Override
  public PoolSettings poolSettings(String pool) {
    return pools.find(pool);
  }

  @Override
  public List<PoolSettings> listPoolSettings() {
    return pools.list();
  }

  @Override
  public PoolSettings configurePool(PoolSettings settings, Instant now) {
    return pools.put(settings, now);
  }

  @Override
  public HeartbeatReply heartbeat(
      String workerId, Collection<Lease> leases, Instant now, Duration lease) {
    return queue.heartbeat(workerId, leases, now, lease);
  }

  @Override
  public Completed completeAttempts(
      String workerId, List<Completion> completions, Instant now, RandomGenerator random) {
    return queue.complete(workerId, completions, now, random);
  }

  @Override
  public int releaseAttempts(String workerId, Collection<Lease> attemptIds, Instant now) {
    return queue.release(workerId, attemptIds, now);
  }

  @Override
  public List<Long> expiredLeases(Instant now, int limit) {
    return queue.expired(now, limit);
  }

  @Override
  public Completed reapAttempts(Collection<Long> attemptIds, Instant now, RandomGenerator random) {
    return queue.reap(attemptIds, now, random);
  }

  @Override
  public void appendLogs(List<LogChunk> chunks) {
    logs.append(chunks);
  }

  @Override
  public List<Long> appendLogs(String workerId, List<LogChunk> chunks) {
    return logs.append(workerId, chunks);
  }

  @Override
  public List<LogChunk> logsOfRun(long runId) {
    return logs.ofRun(runId);
  }

  @Override
  public EventIntake receiveEvent(NewEvent event, Instant now) {
    return events.receive(event, now);
  }

  @Override
  public int raiseAlerts(Instant now, int limit, List<Webhook> defaults) {
    return alerts.raise(now, limit, defaults);
  }

  @Override
  public List<Long> pendingAlertEvents(int limit) {
    return alerts.pending(limit);
  }

  @Override
  public int raiseAlert(long eventId, Instant now, List<Webhook> defaults) {
    return alerts.raise(eventId, now, defaults);
  }

  @Override
  public boolean setAsideAttempt(long attemptId, String reason, Instant now) {
    return setAside.attempt(attemptId, reason, now);
  }

  @Override
  public boolean setAsideTrigger(JobKey job, String reason, Instant now) {
    return setAside.trigger(job, reason, now);
  }

  @Override
  public int setAsideHeldRuns(JobKey job, String reason, Instant now) {
    return setAside.heldRuns(job, reason, now);
  }

  @Override
  public void setAsideAlertEvent(long eventId) {
    setAside.alertEvent(eventId);
  }

  @Override
  public List<RunRecord> runsWithDeadlines() {
    return alerts.runsWithDeadlines();
  }

  @Override
  public boolean raiseRunEvent(long runId, AlertKind kind, String detail, Instant now) {
    return alerts.raise(runId, kind, detail, now);
  }

  @Override
  public int findRunsPastSla(Instant now) {
    return alerts.findRunsPastSla(now);
  }

  @Override
  public List<AlertRecord> claimAlerts(Instant now, int limit, Duration lease) {
    return alerts.claim(now, limit, lease);
  }

  @Override
  public void alertDelivered(long alertId, Instant now) {
    alerts.delivered(alertId, now);
  }

  @Override
  public void alertFailed(long alertId, String error, Instant retryAt) {
    alerts.failed(alertId, error, retryAt);
  }

  @Override
  public List<AlertRecord> listAlerts(AlertQuery query) {
    return alerts.list(query);
  }

  @Override
  public void recordAudit(AuditEntry entry) {
    audit.record(entry);
  }

  @Override
  public List<AuditEntry> listAudit(AuditQuery query) {
    return audit.list(query);
  }

  @Override
  public long lastRunId() {
    return retention.lastRunId();
  }

  @Override
  public Map<JobKey, Integer> runsCreatedAfter(long runId) {
    return retention.runsCreatedAfter(runId);
  }

  @Override
  public List<JobKey> jobsAfter(JobKey after, int limit) {
    return retention.jobsAfter(after, limit);
  }

  @Override
  public HistoryCut historyCut(JobKey job) {
    return retention.historyCut(job);
  }

  @Override
  public List<Long> runsPastHistory(JobKey job, HistoryCut cut, int limit) {
    return retention.runsPastHistory(job, cut, limit);
  }

  @Override
  public List<Long> runsEndedBefore(Instant cutoff, int limit) {
    return retention.runsEndedBefore(cutoff, limit);
  }

  @Override
  public Pruned deleteRuns(Collection<Long> runIds, Instant endedBefore, int rowsPerTransaction) {
    return retention.deleteRuns(runIds, endedBefore, rowsPerTransaction);
  }

  @Override
  public int pruneEvents(Instant cutoff, int limit) {
    return retention.pruneEvents(cutoff, limit);
  }

  @Override
  public int pruneAlerts(Instant cutoff, int limit) {
    return retention.pruneAlerts(cutoff, limit);
  }

  @Override
  public int pruneAudit(Instant cutoff, int limit) {
    return retention.pruneAudit(cutoff, limit);
  }

  @Override
  public void saveToken(String sha256Hex, TokenRecord token, Instant now) {
    tokens.save(sha256Hex, token, now);
  }

  @Override
  public Optional<TokenRecord> findToken(String sha256Hex) {
    return tokens.find(sha256Hex);
  }

  @Override
  public List<TokenInfo> listTokens() {
    return tokens.list();
  }

  @Override
  public int revokeTokens(String name) {
    return tokens.revoke(name);
  }

  @Override
  public Optional<TokenRecord> rotateToken(String name, String newSha256Hex, Instant now) {
    return tokens.rotate(name, newSha256Hex, now);
  }

  @Override
  public void enrolWorker(String sha256Hex, TokenRecord credential, Instant now) {
    tokens.enrol(sha256Hex, credential, now);
  }

  @Override
  public void close() {
    dataSource.close();
  }
}
