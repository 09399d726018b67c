package dev.kairos.server.ticker;

import dev.kairos.core.cron.CronSchedule;
import dev.kairos.core.run.RunState;
import dev.kairos.core.run.TriggerKind;
import dev.kairos.core.spec.JobSpec;
import dev.kairos.core.trigger.FirePlan;
import dev.kairos.core.trigger.FirePlanner;
import dev.kairos.core.trigger.PlannedFire;
import dev.kairos.store.JobRecord;
import dev.kairos.store.NewRun;
import dev.kairos.store.RunRecord;
import dev.kairos.store.TriggerPlan;
import dev.kairos.store.TriggerPlanner;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Adapts the pure {@link FirePlanner} of kairos-core to the store's {@link TriggerPlanner}: what
 * each due fire becomes (run, skipped, missed) and which active runs a Replace cancels.
 */
public final class SchedulePlanner implements TriggerPlanner {
  /** Parsed schedules by expression; parsing is cheap but the ticker asks on every fire. */
  private final Map<String, CronSchedule> schedules = new ConcurrentHashMap<>();

  @Override
  public boolean needsActiveRuns(JobRecord job) {
    return job.manifest().spec().concurrencyPolicy().dependsOnActiveRuns();
  }

  @Override
  public TriggerPlan plan(JobRecord job, List<RunRecord> activeRuns, Instant now, Instant horizon) {
    JobSpec spec = job.manifest().spec();
    CronSchedule schedule = schedules.computeIfAbsent(spec.schedule(), CronSchedule::parse);
    FirePlan plan =
        FirePlanner.plan(
            schedule,
            spec.timeZone(),
            job.nextFireAt(),
            now,
            horizon,
            spec.catchup(),
            spec.startingDeadlineSeconds(),
            spec.concurrencyPolicy(),
            activeRuns.size());
    List<NewRun> runs = new ArrayList<>();
    for (PlannedFire fire : plan.fires()) {
      RunState state =
          switch (fire.outcome()) {
            case RUN -> RunState.PENDING;
            case SKIP -> RunState.SKIPPED;
            case MISS -> RunState.MISSED;
          };
      runs.add(
          new NewRun(job.key(), TriggerKind.SCHEDULE, fire.fireTime(), null, state, fire.reason()));
    }
    List<Long> cancel =
        plan.cancelActive() ? activeRuns.stream().map(RunRecord::id).toList() : List.of();
    return new TriggerPlan(
        runs,
        cancel,
        "replaced by a newer fire (concurrencyPolicy Replace)",
        plan.nextFireAt(),
        plan.unrecordedMisses());
  }
}
