package dev.kairos.store;

import dev.kairos.core.alert.AlertKind;
import dev.kairos.core.alert.Webhook;
import dev.kairos.core.predict.Sample;
import dev.kairos.core.protocol.Assignment;
import dev.kairos.core.protocol.Completion;
import dev.kairos.core.protocol.HeartbeatReply;
import dev.kairos.core.protocol.Lease;
import dev.kairos.core.protocol.LogChunk;
import dev.kairos.core.protocol.WorkerInfo;
import dev.kairos.core.spec.JobKey;
import dev.kairos.core.spec.JobManifest;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Everything Kairos keeps, named by intent. The store is the only coordination point between server
 * replicas: every method is one transaction, and the guarantees (one run per job and fire time, one
 * run per idempotency key, completion recorded once) are enforced by the database through unique
 * keys and guarded updates, not by in-memory state. Times are passed in, never read from a clock
 * here. What is kept, and for how long, is in {@link RetentionStore}.
 */
public interface Store extends RetentionStore, AutoCloseable {

  // ---- jobs -----------------------------------------------------------------------------------

  /**
   * Creates or updates a job. A changed manifest makes a new version; the same manifest changes
   * nothing. {@code nextFireAt} is the first fire the scheduler should handle (null when the job
   * has no schedule or is suspended); on update it replaces the stored one only when the schedule,
   * time zone or suspension changed.
   */
  ApplyResult applyJob(JobManifest manifest, String manifestJson, Instant nextFireAt, Instant now);

  Optional<JobRecord> findJob(JobKey key);

  /** Jobs of one namespace, or of all when {@code namespace} is null, by namespace and name. */
  List<JobRecord> listJobs(String namespace);

  /** The manifest of one version of a job (versions are kept while the job exists). */
  Optional<JobManifest> jobVersion(JobKey key, long version);

  /** The job's versions, newest first, at most {@code limit}. */
  List<JobVersion> jobVersions(JobKey key, int limit);

  /**
   * Deletes a job with its runs, attempts and logs. Its running attempts are reported as lost to
   * their workers at the next heartbeat. Returns false if there was no such job.
   */
  boolean deleteJob(JobKey key);

  /**
   * Pauses or resumes schedule fires. On resume, {@code nextFireAt} is the next fire after now
   * (fires during the suspension are not run, as in Kubernetes).
   */
  Optional<JobRecord> setSuspended(JobKey key, boolean suspended, Instant nextFireAt, Instant now);

  // ---- schedule fires -------------------------------------------------------------------------

  /**
   * Handles up to {@code maxJobs} jobs whose next fire is due at {@code now} (or, for jobs fired
   * ahead, by {@code now + ahead}): for each, asks the planner what the fires become and, in one
   * transaction, creates those runs (a run per job and fire time at most, by unique key; a run
   * fired ahead cannot start before its fire time), cancels replaced runs and advances the job's
   * next fire. Jobs locked by another replica are skipped, not waited for. Returns the runs
   * created. Suspending a job, or changing its schedule, removes its runs fired ahead that have not
   * started.
   */
  List<RunRecord> fireDueTriggers(Instant now, Duration ahead, int maxJobs, TriggerPlanner planner);

  /** The jobs {@link #fireDueTriggers} would take now, without locking them. */
  List<JobKey> dueJobs(Instant now, Duration ahead, int maxJobs);

  /** {@link #fireDueTriggers} for one job, if it is due (and not locked by another replica). */
  List<RunRecord> fireDueTrigger(JobKey job, Instant now, Duration ahead, TriggerPlanner planner);

  /**
   * When the ticker must next look, so it can sleep until then: the earliest next fire of any
   * unsuspended job, less {@code ahead} for jobs fired ahead.
   */
  Optional<Instant> nextFireTime(Duration ahead);

  // ---- runs -----------------------------------------------------------------------------------

  /**
   * Creates a run of the job's current version and queues its root tasks. With an idempotency key
   * that the job already has a run for, returns that run instead and creates nothing.
   *
   * @throws NotFoundException when the job does not exist
   */
  RunRecord createRun(NewRun run, Instant now);

  /** Bulk form of {@link #createRun}, for many runs in one transaction (bench, backfill). */
  List<RunRecord> createRuns(List<NewRun> runs, Instant now);

  Optional<RunRecord> findRun(long runId);

  List<RunRecord> listRuns(RunQuery query);

  /** How many runs of {@code job} are in {@code state} (for stats and the benchmark). */
  long countRuns(JobKey job, dev.kairos.core.run.RunState state);

  /**
   * How long each task of {@code job} ran when it succeeded, in its last {@code runs} runs before
   * run {@code beforeRunId}, oldest first: the history duration prediction learns from.
   */
  Map<String, List<Sample>> taskDurations(JobKey job, long beforeRunId, int runs);

  /** How many runs are active now, in the whole store (for metrics). */
  ActiveRuns activeRuns();

  /** The attempts of a run, oldest first. */
  List<AttemptRecord> attemptsOf(long runId);

  /**
   * Cancels an active run: it becomes CANCELLED, its queued attempts CANCELLED, and its running
   * attempts are flagged so that their workers kill them at the next heartbeat. A run already
   * finished is returned unchanged.
   */
  Optional<RunRecord> cancelRun(long runId, String reason, Instant now);

  /**
   * Repairs a run that has ended (see {@link RunRepair}) in one transaction, and returns it as it
   * is now: running again, or ended again at once when nothing is left to run.
   *
   * @throws NotFoundException when there is no such run, or no such task in it
   * @throws ConflictException when the run is still active, or there is nothing to do
   */
  RunRecord repairRun(long runId, RunRepair repair, Instant now);

  /** The tasks of a run that an operator marked, with the state they stand in. */
  java.util.Map<String, String> taskMarks(long runId);

  // ---- queue (worker protocol) ----------------------------------------------------------------

  /**
   * Claims attempts for a worker (see {@link Claim} for which), highest rank first, in one
   * statement: the rank is the priority plus the time waited over the pool's priority aging. Each
   * gets a lease of {@code lease} held by the worker, counted from its start. An attempt is due by
   * {@code now + ahead} and starts when it is due, not before {@code now}: its assignment says how
   * long after {@code now} that is, and its started time (and its run's, whose state becomes
   * RUNNING) is that time. A pool with a {@code maxRunning} never has more attempts running.
   */
  List<Assignment> claimAttempts(Claim claim, Instant now, Duration ahead, Duration lease);

  /**
   * Whether the attempt a claim would take next (the best-ranked that is due and fits the worker's
   * capacity, cluster and labels) needs more than the claim's free cpu or memory: the worker gets
   * it once its running attempts free enough (a claim takes nothing past it).
   */
  boolean waitsForCapacity(Claim claim, Instant now, Duration ahead);

  /**
   * Extends the {@code leases} that {@code workerId} still holds, each under the claim its fence
   * names; reports which of them to cancel and which it no longer holds (an attempt given back,
   * lost or claimed anew since is no longer held under that fence).
   */
  HeartbeatReply heartbeat(String workerId, Collection<Lease> leases, Instant now, Duration lease);

  /**
   * Records outcomes in one transaction. A completion counts only if the attempt is RUNNING under
   * {@code workerId}'s lease, claimed with the completion's fence; others are ignored. A retryable
   * outcome queues the next attempt after the retry policy's backoff while retries remain;
   * otherwise the run advances (next tasks, or its final state). Returns the attempts it ended
   * (completions for attempts no longer held are ignored), and how many attempts that queued.
   */
  Completed completeAttempts(
      String workerId, List<Completion> completions, Instant now, RandomGenerator random);

  /**
   * Queues again, at once, the RUNNING attempts of {@code leases} that {@code workerId} holds under
   * those fences (it is shutting down). They keep their attempt number: they never ran to an end.
   * Returns how many.
   */
  int releaseAttempts(String workerId, Collection<Lease> leases, Instant now);

  /** Up to {@code limit} RUNNING attempts whose lease expired before {@code now}, oldest first. */
  List<Long> expiredLeases(Instant now, int limit);

  /**
   * Ends as LOST those of {@code attemptIds} still RUNNING with a lease that expired before {@code
   * now} (rows another replica is reaping are skipped), and applies the retry policy to them as
   * {@link #completeAttempts} does: a loss within {@code retryPolicy.maxLost} is queued again at
   * once without using a retry. Returns the attempts it ended.
   */
  Completed reapAttempts(Collection<Long> attemptIds, Instant now, RandomGenerator random);

  /** {@link #reapAttempts} of the {@link #expiredLeases}, in two transactions. */
  default Completed reapExpiredLeases(Instant now, int limit, RandomGenerator random) {
    return reapAttempts(expiredLeases(now, limit), now, random);
  }

  /** The jobs that have runs held back by their {@code maxActiveRuns}. */
  List<JobKey> jobsWithHeldRuns();

  /**
   * Queues the runs that the job's {@code maxActiveRuns} held back, oldest first, as far as it now
   * has room. Returns how many.
   */
  int releaseHeldRuns(JobKey job, Instant now);

  /** {@link #releaseHeldRuns(JobKey, Instant)} for every job that has held runs. */
  default int releaseHeldRuns(Instant now) {
    int released = 0;
    for (JobKey job : jobsWithHeldRuns()) {
      released += releaseHeldRuns(job, now);
    }
    return released;
  }

  // ---- workers and pools ----------------------------------------------------------------------

  /** Records a worker's declaration and that it was heard from at {@code now}. */
  void recordWorker(WorkerInfo worker, Instant now);

  /** Records that a worker was heard from (a heartbeat); nothing if it never declared itself. */
  void touchWorker(String workerId, Instant now);

  /** Forgets a worker that stopped (it is no longer live). */
  void forgetWorker(String workerId);

  /** Workers heard from since {@code since}, with what their running attempts request. */
  List<WorkerRecord> liveWorkers(Instant since);

  /** Forgets workers not heard from since {@code before}; returns how many. */
  int pruneWorkers(Instant before);

  /** Due, unclaimed attempts per pool and target cluster. */
  List<PoolBacklog> backlog(Instant now);

  /** A pool's settings, the defaults when it has none. */
  PoolSettings poolSettings(String pool);

  /** Pools that have settings of their own. */
  List<PoolSettings> listPoolSettings();

  /** Sets a pool's settings (replicas see them within seconds). */
  PoolSettings configurePool(PoolSettings settings, Instant now);

  // ---- logs -----------------------------------------------------------------------------------

  /** Stores output chunks; a chunk already stored (same attempt and seq) is ignored. */
  void appendLogs(List<LogChunk> chunks);

  /**
   * Stores output chunks that {@code workerId} sent, if it ran each of their attempts under the
   * claim each chunk's fence names: a worker may write only the output of attempts it claimed (it
   * may send them after they ended). Chunks of attempts that no longer exist (their job was
   * deleted) are dropped.
   *
   * @return the attempts of the chunks that another worker (or none) claimed; when there is any,
   *     nothing was stored
   */
  List<Long> appendLogs(String workerId, List<LogChunk> chunks);

  /** The output of a run's attempts, by attempt then chunk. */
  List<LogChunk> logsOfRun(long runId);

  // ---- events ---------------------------------------------------------------------------------

  /**
   * Stores an event and, in the same transaction, starts a run of each job subscribed to its type
   * ({@code spec.triggers}) whose filter matches; the same source and id again (within the dedup
   * window) starts nothing. Throws IllegalArgumentException for data that is not JSON.
   */
  EventIntake receiveEvent(NewEvent event, Instant now);

  // ---- alerts ---------------------------------------------------------------------------------

  /**
   * Turns up to {@code limit} recorded events (a run failed, a task's retries ran out, a fire was
   * missed, a run went past its SLA) into deliveries, one per webhook of the run's job that wants
   * the kind, or of {@code defaults} for a job without webhooks of its own; at most one per run,
   * kind and URL. Returns the deliveries made.
   */
  int raiseAlerts(Instant now, int limit, List<Webhook> defaults);

  /** The recorded events {@link #raiseAlerts} would take now, oldest first. */
  List<Long> pendingAlertEvents(int limit);

  /** {@link #raiseAlerts} for one event, if it is still recorded. */
  int raiseAlert(long eventId, Instant now, List<Webhook> defaults);

  /**
   * Records an event for each active run of a job with an {@code alerts.sla} that has gone on
   * longer than it and was not alerted on yet. Returns how many.
   */
  int findRunsPastSla(Instant now);

  /**
   * The active runs of jobs with a {@code spec.deadline} that were not alerted as at risk yet: the
   * ones whose forecast the alert duty checks against their deadline.
   */
  List<RunRecord> runsWithDeadlines();

  /**
   * Records an event of {@code kind} for a run (turned into alerts like the others), unless one was
   * recorded or alerted already. Returns whether it did.
   */
  boolean raiseRunEvent(long runId, AlertKind kind, String detail, Instant now);

  /**
   * Takes up to {@code limit} due deliveries, each counted as tried and not due again for {@code
   * lease} (so that one replica sends it).
   */
  List<AlertRecord> claimAlerts(Instant now, int limit, Duration lease);

  /** The webhook accepted the alert. */
  void alertDelivered(long alertId, Instant now);

  /** A try failed: due again at {@code retryAt}, or FAILED for good when it is null. */
  void alertFailed(long alertId, String error, Instant retryAt);

  /** A page of alerts, newest first. */
  List<AlertRecord> listAlerts(AlertQuery query);

  // ---- audit ----------------------------------------------------------------------------------

  /** Appends a mutating API call to the audit log. */
  void recordAudit(AuditEntry entry);

  /** A page of the audit log, newest first. */
  List<AuditEntry> listAudit(AuditQuery query);

  // ---- items set aside -------------------------------------------------------------------------
  // A loop sets an item aside when it failed alone for a reason that will not pass (see the
  // server's Isolation). Each is ended in a transaction of its own without reading its spec or
  // applying a retry policy (that may be what failed); its run ends FAILED with the internal error
  // as its reason, and INTERNAL_ERROR and RUN_FAILED events raise the job's alerts.

  /**
   * Ends the attempt FAILED with {@code reason} if it is still queued or running, and its run
   * FAILED (its other attempts cancelled). Returns whether the attempt was still active.
   */
  boolean setAsideAttempt(long attemptId, String reason, Instant now);

  /**
   * Stops the job's schedule: its next fire is cleared and {@code reason} kept as its {@link
   * JobRecord#scheduleError()} until the job is applied or resumed again; the fire is recorded as a
   * FAILED run. Returns whether the job had a next fire.
   */
  boolean setAsideTrigger(JobKey job, String reason, Instant now);

  /** Fails the runs of the job that its {@code maxActiveRuns} held back. Returns how many. */
  int setAsideHeldRuns(JobKey job, String reason, Instant now);

  /** Drops a recorded event that could not be turned into alerts. */
  void setAsideAlertEvent(long eventId);

  // ---- tokens ---------------------------------------------------------------------------------

  /** Stores (or replaces) a token by the hex SHA-256 of its secret. */
  void saveToken(String sha256Hex, TokenRecord token, Instant now);

  Optional<TokenRecord> findToken(String sha256Hex);

  /**
   * Every token, by name, each name's own tokens before the worker credentials enrolled with it;
   * never a secret or a hash.
   */
  List<TokenInfo> listTokens();

  /**
   * Deletes the tokens of this name, the worker credentials enrolled with it included; returns how
   * many there were.
   */
  int revokeTokens(String name);

  /**
   * Replaces the tokens of this name with one whose secret has the hash {@code newSha256Hex}, with
   * the same role and limits, atomically: the old secrets stop working as the new one starts. The
   * worker credentials enrolled with the old secret stay valid.
   *
   * @return the token as it now is, or empty when no token has that name
   */
  Optional<TokenRecord> rotateToken(String name, String newSha256Hex, Instant now);

  /**
   * Stores a worker's credential (a token bound to {@link TokenRecord#workerId()}) in place of any
   * earlier credential of that worker, atomically.
   */
  void enrolWorker(String sha256Hex, TokenRecord credential, Instant now);

  @Override
  void close();
}
