package dev.kairos.core.trigger;

import dev.kairos.core.cron.CronSchedule;
import dev.kairos.core.spec.ConcurrencyPolicy;
import dev.kairos.core.trigger.PlannedFire.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Decides what a job's due schedule fires become, with Kubernetes CronJob semantics. Pure.
 *
 * <p>The fires considered are those from the job's first unhandled fire up to now. Normally that is
 * one fire; after downtime it can be many:
 *
 * <ul>
 *   <li>a fire more than {@code startingDeadlineSeconds} late is MISSED;
 *   <li>of the rest, {@code catchup: true} runs every one in order, {@code catchup: false} only the
 *       latest (the earlier ones are MISSED);
 *   <li>each fire that would run then meets the concurrency policy: Allow runs it; Forbid skips it
 *       while a run is active (including one started by an earlier fire of the same plan); Replace
 *       cancels the active runs and runs it (an earlier fire of the same plan that it replaces is
 *       recorded as MISSED, since it never started).
 * </ul>
 *
 * At most {@link #MAX_RECORDED_MISSES} misses are recorded (the latest); the rest are counted.
 *
 * <p>Fires ahead: under Allow, fires after now up to a horizon are planned too, as runs that may
 * not start before their fire time. Their runs then exist when the fire time comes, so they start
 * on time however many jobs share it. Forbid and Replace depend on what is active at the fire time,
 * so their fires are only ever planned once due.
 */
public final class FirePlanner {
  /** Missed fires recorded one by one per plan; beyond that they are only counted. */
  public static final int MAX_RECORDED_MISSES = 100;

  /** Fires enumerated per plan at most (a long outage of a per-second schedule). */
  static final int MAX_ENUMERATED = 1_000_000;

  private FirePlanner() {}

  /**
   * @param firstUnhandled the job's stored next fire (at or before the horizon)
   * @param horizon the latest fire to plan (at or after now); used under Allow only
   * @param activeRuns the job's runs still PENDING or RUNNING
   */
  public static FirePlan plan(
      CronSchedule schedule,
      ZoneId zone,
      Instant firstUnhandled,
      Instant now,
      Instant horizon,
      boolean catchup,
      Long startingDeadlineSeconds,
      ConcurrencyPolicy policy,
      int activeRuns) {
    Deque<PlannedFire> misses = new ArrayDeque<>();
    long[] unrecorded = {0};
    List<Instant> candidates = new ArrayList<>();
    Instant fire = firstUnhandled;
    int enumerated = 0;
    while (fire != null && !fire.isAfter(now) && enumerated++ < MAX_ENUMERATED) {
      long late = Duration.between(fire, now).toSeconds();
      if (startingDeadlineSeconds != null && late > startingDeadlineSeconds) {
        miss(
            misses,
            unrecorded,
            new PlannedFire(
                fire,
                Outcome.MISS,
                "missed: "
                    + late
                    + "s late, startingDeadlineSeconds is "
                    + startingDeadlineSeconds));
      } else {
        candidates.add(fire);
      }
      fire = schedule.nextAfter(fire, zone);
    }
    List<Instant> ahead = new ArrayList<>();
    if (!policy.dependsOnActiveRuns()) {
      if (fire == null || !fire.isAfter(now)) {
        fire = schedule.nextAfter(now, zone);
      }
      while (fire != null && !fire.isAfter(horizon) && enumerated++ < MAX_ENUMERATED) {
        ahead.add(fire);
        fire = schedule.nextAfter(fire, zone);
      }
    }
    Instant last = ahead.isEmpty() ? now : ahead.get(ahead.size() - 1);
    Instant next = fire != null && fire.isAfter(last) ? fire : schedule.nextAfter(last, zone);
    if (!catchup && candidates.size() > 1) {
      for (Instant early : candidates.subList(0, candidates.size() - 1)) {
        miss(
            misses,
            unrecorded,
            new PlannedFire(
                early,
                Outcome.MISS,
                "missed while the scheduler was not running; catchup is false"));
      }
      candidates = List.of(candidates.get(candidates.size() - 1));
    }
    List<PlannedFire> fires = new ArrayList<>(misses);
    boolean cancelActive = false;
    int active = activeRuns;
    PlannedFire plannedRun = null;
    for (Instant candidate : candidates) {
      switch (policy) {
        case Allow -> fires.add(new PlannedFire(candidate, Outcome.RUN, null));
        case Forbid -> {
          if (active > 0) {
            fires.add(
                new PlannedFire(
                    candidate,
                    Outcome.SKIP,
                    "previous run still active; concurrencyPolicy Forbid"));
          } else {
            fires.add(new PlannedFire(candidate, Outcome.RUN, null));
            active++;
          }
        }
        case Replace -> {
          if (plannedRun != null) {
            fires.remove(plannedRun);
            fires.add(
                new PlannedFire(
                    plannedRun.fireTime(),
                    Outcome.MISS,
                    "replaced by a later fire before it started"));
          } else if (active > 0) {
            cancelActive = true;
          }
          plannedRun = new PlannedFire(candidate, Outcome.RUN, null);
          fires.add(plannedRun);
        }
      }
    }
    ahead.forEach(t -> fires.add(new PlannedFire(t, Outcome.RUN, null)));
    fires.sort(java.util.Comparator.comparing(PlannedFire::fireTime));
    return new FirePlan(fires, cancelActive, next, unrecorded[0]);
  }

  /** Keeps the latest MAX_RECORDED_MISSES misses, counting the ones pushed out. */
  private static void miss(Deque<PlannedFire> misses, long[] unrecorded, PlannedFire fire) {
    misses.addLast(fire);
    if (misses.size() > MAX_RECORDED_MISSES) {
      misses.removeFirst();
      unrecorded[0]++;
    }
  }
}
