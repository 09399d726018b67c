package dev.kairos.core.spec;

import dev.kairos.core.alert.Alerts;
import dev.kairos.core.event.EventTrigger;
import java.time.ZoneId;
import java.util.List;

/**
 * The {@code spec} of a Job manifest, validated and with defaults applied.
 *
 * @param schedule cron expression (5 or 6 fields, or a macro such as {@code @daily}); null = no
 *     schedule, the job runs only when triggered
 * @param timeZone IANA zone the schedule is read in; default UTC
 * @param suspend when true, schedule fires are not created (API triggers still work)
 * @param concurrencyPolicy Allow, Forbid or Replace; default Allow
 * @param startingDeadlineSeconds a fire that cannot start within this many seconds of its time is
 *     recorded as MISSED; null = no deadline
 * @param catchup after downtime, run every missed fire (true) or only the latest one (false,
 *     default)
 * @param placement where its attempts run: pool, clusters by weight, worker labels; default the
 *     {@code default} pool, any cluster, any worker
 * @param maxActiveRuns at most this many of its runs are active (started) at once; more wait,
 *     oldest first, until one ends (Airflow's max_active_runs); null = no limit
 * @param tasks the DAG; a {@code task:} shorthand becomes a list of one task named {@code main}
 * @param triggers events that start runs ({@code spec.triggers[].event}); empty = none
 * @param deadline when a run must have finished (see {@link Deadline}); null = none
 * @param alerts who is told of failures, exhausted retries, runs past their SLA and missed fires;
 *     default none (the server's default webhooks, if any)
 * @param sizeParam the numeric run parameter (a field of the starting event's data, e.g. {@code
 *     rows}) that the tasks' durations grow with: duration prediction is conditioned on it; null =
 *     none
 * @param history how many ended runs are kept, per kind (see {@link History}); default {@link
 *     History#DEFAULT}
 */
public record JobSpec(
    String schedule,
    ZoneId timeZone,
    boolean suspend,
    ConcurrencyPolicy concurrencyPolicy,
    Long startingDeadlineSeconds,
    boolean catchup,
    Placement placement,
    Integer maxActiveRuns,
    List<TaskSpec> tasks,
    Alerts alerts,
    List<EventTrigger> triggers,
    Deadline deadline,
    String sizeParam,
    History history) {

  /** The longest {@code sizeParam}. */
  public static final int MAX_SIZE_PARAM = 64;

  public JobSpec {
    tasks = List.copyOf(tasks);
    triggers = triggers == null ? List.of() : List.copyOf(triggers);
    if (alerts == null) {
      alerts = Alerts.NONE;
    }
    if (history == null) {
      history = History.DEFAULT;
    }
  }

  /** The pool whose workers run this job's attempts ({@code placement.pool}). */
  public String pool() {
    return placement.pool();
  }

  /** This spec with other tasks (the rest unchanged). */
  public JobSpec withTasks(List<TaskSpec> newTasks) {
    return new JobSpec(
        schedule,
        timeZone,
        suspend,
        concurrencyPolicy,
        startingDeadlineSeconds,
        catchup,
        placement,
        maxActiveRuns,
        newTasks,
        alerts,
        triggers,
        deadline,
        sizeParam,
        history);
  }

  public boolean scheduled() {
    return schedule != null;
  }
}
