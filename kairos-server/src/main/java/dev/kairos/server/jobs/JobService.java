package dev.kairos.server.jobs;

import dev.kairos.core.cron.CronSchedule;
import dev.kairos.core.run.RunState;
import dev.kairos.core.run.TriggerKind;
import dev.kairos.core.spec.FieldError;
import dev.kairos.core.spec.JobKey;
import dev.kairos.core.spec.JobManifest;
import dev.kairos.core.spec.JobManifestCodec;
import dev.kairos.core.spec.JobSpec;
import dev.kairos.core.spec.ValidationException;
import dev.kairos.server.loop.Signal;
import dev.kairos.store.ApplyResult;
import dev.kairos.store.JobRecord;
import dev.kairos.store.NewRun;
import dev.kairos.store.NotFoundException;
import dev.kairos.store.RunRecord;
import dev.kairos.store.Store;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Job and run operations behind the API: validation has happened, this applies them. */
public final class JobService {
  private static final Logger log = LoggerFactory.getLogger(JobService.class);

  private final Store store;
  private final Clock clock;
  private final Signal jobsChanged;
  private final Signal queued;

  public JobService(Store store, Clock clock, Signal jobsChanged, Signal queued) {
    this.store = store;
    this.clock = clock;
    this.jobsChanged = jobsChanged;
    this.queued = queued;
  }

  /** Creates or updates a job from a validated manifest. */
  public ApplyResult apply(JobManifest manifest) {
    Instant now = clock.instant();
    Instant next = manifest.spec().suspend() ? null : nextFire(manifest.spec(), now);
    ApplyResult result = store.applyJob(manifest, JobManifestCodec.toJson(manifest), next, now);
    if (result.change() != ApplyResult.Change.UNCHANGED) {
      log.info(
          "applied job={} version={} change={}",
          manifest.key(),
          result.job().version(),
          result.change());
      jobsChanged.signal();
    }
    return result;
  }

  public JobRecord get(JobKey key) {
    return store.findJob(key).orElseThrow(() -> notFound(key));
  }

  public List<JobRecord> list(String namespace) {
    return store.listJobs(namespace);
  }

  public void delete(JobKey key) {
    if (!store.deleteJob(key)) {
      throw notFound(key);
    }
    log.info("deleted job={}", key);
    jobsChanged.signal();
  }

  /** Pauses schedule fires. */
  public JobRecord suspend(JobKey key) {
    JobRecord job =
        store.setSuspended(key, true, null, clock.instant()).orElseThrow(() -> notFound(key));
    jobsChanged.signal();
    return job;
  }

  /** Resumes schedule fires from the next fire after now; fires while suspended are not run. */
  public JobRecord resume(JobKey key) {
    JobRecord current = get(key);
    Instant now = clock.instant();
    Instant next = nextFire(current.manifest().spec(), now);
    JobRecord job = store.setSuspended(key, false, next, now).orElseThrow(() -> notFound(key));
    jobsChanged.signal();
    return job;
  }

  /**
   * Starts a run now. With an idempotency key the job already has a run for, returns that run.
   *
   * @return the run, and whether this call created it
   */
  public Triggered trigger(JobKey key, String idempotencyKey) {
    // the store keeps milliseconds: a run created now has exactly this time
    Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    RunRecord run = store.createRun(NewRun.manual(key, idempotencyKey), now);
    boolean created = !run.createdAt().isBefore(now);
    if (created) {
      log.debug("triggered job={} run={}", key, run.id());
      queued.signal();
    }
    return new Triggered(run, created);
  }

  /**
   * Runs one fire of the job's schedule now (a backfill): {@code fireTime} must be a fire time of
   * its schedule, in its time zone, and not in the future. A fire time that already has a run (run
   * by the scheduler, recorded as missed or skipped, or backfilled before) returns that run and
   * creates nothing, so a repeated backfill runs each fire once.
   *
   * @throws ValidationException naming fireTime and what is wrong
   */
  public Triggered backfill(JobKey key, Instant fireTime) {
    JobSpec spec = get(key).manifest().spec();
    Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    String problem = null;
    if (!spec.scheduled()) {
      problem = "the job has no schedule: trigger it without a fireTime";
    } else if (fireTime.isBefore(Instant.EPOCH)) {
      // the store keeps epoch milliseconds, and a fire time far in the past has none
      problem = "is before 1970-01-01T00:00:00Z, the earliest fire time a run may have";
    } else if (fireTime.isAfter(now)) {
      problem = "is in the future: the scheduler runs it when it comes";
    } else {
      Instant fire =
          CronSchedule.parse(spec.schedule()).nextAfter(fireTime.minusMillis(1), spec.timeZone());
      if (!fireTime.equals(fire)) {
        problem =
            "is not a fire time of \""
                + spec.schedule()
                + "\" in "
                + spec.timeZone().getId()
                + "; the next one is "
                + fire;
      }
    }
    if (problem != null) {
      throw new ValidationException(
          List.of(new FieldError("fireTime", fireTime.toString(), problem)));
    }
    RunRecord run =
        store.createRun(
            new NewRun(key, TriggerKind.SCHEDULE, fireTime, null, RunState.PENDING, null), now);
    boolean created = !run.createdAt().isBefore(now);
    if (created) {
      log.info("backfill job={} fireTime={} run={}", key, fireTime, run.id());
      queued.signal();
    }
    return new Triggered(run, created);
  }

  /** The result of {@link #trigger}. */
  public record Triggered(RunRecord run, boolean created) {}

  private static Instant nextFire(JobSpec spec, Instant now) {
    if (!spec.scheduled()) {
      return null;
    }
    return CronSchedule.parse(spec.schedule()).nextAfter(now, spec.timeZone());
  }

  static NotFoundException notFound(JobKey key) {
    return new NotFoundException("job " + key + " not found");
  }
}
