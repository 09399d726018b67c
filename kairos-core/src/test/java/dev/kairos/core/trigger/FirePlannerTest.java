package dev.kairos.core.trigger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kairos.core.cron.CronSchedule;
import dev.kairos.core.spec.ConcurrencyPolicy;
import dev.kairos.core.trigger.PlannedFire.Outcome;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class FirePlannerTest {
  static final CronSchedule EVERY_MINUTE = CronSchedule.parse("* * * * *");
  static final ZoneId UTC = ZoneId.of("UTC");
  static final Instant T = Instant.parse("2026-06-01T10:00:00Z");

  static FirePlan plan(
      Instant first, Instant now, boolean catchup, Long deadline, ConcurrencyPolicy p, int active) {
    return FirePlanner.plan(EVERY_MINUTE, UTC, first, now, now, catchup, deadline, p, active);
  }

  @Test
  void aDueFireRunsAndTheNextIsPlanned() {
    FirePlan p = plan(T, T.plusMillis(5), false, null, ConcurrencyPolicy.Allow, 3);
    assertThat(p.fires()).containsExactly(new PlannedFire(T, Outcome.RUN, null));
    assertThat(p.nextFireAt()).isEqualTo(T.plusSeconds(60));
    assertThat(p.cancelActive()).isFalse();
  }

  @Test
  void withoutCatchupOnlyTheLatestMissedFireRunsAndTheOthersAreMissed() {
    FirePlan p = plan(T, T.plusSeconds(300), false, null, ConcurrencyPolicy.Allow, 0);
    assertThat(p.fires()).hasSize(6);
    assertThat(p.fires().subList(0, 5))
        .allMatch(f -> f.outcome() == Outcome.MISS && f.reason().contains("catchup is false"));
    assertThat(p.fires().get(5)).isEqualTo(new PlannedFire(T.plusSeconds(300), Outcome.RUN, null));
    assertThat(p.nextFireAt()).isEqualTo(T.plusSeconds(360));
  }

  @Test
  void withCatchupEveryFireWithinTheDeadlineRuns() {
    FirePlan p = plan(T, T.plusSeconds(300), true, 150L, ConcurrencyPolicy.Allow, 0);
    assertThat(p.fires())
        .extracting(PlannedFire::outcome)
        .containsExactly(
            Outcome.MISS, Outcome.MISS, Outcome.MISS, Outcome.RUN, Outcome.RUN, Outcome.RUN);
    assertThat(p.fires().get(0).reason())
        .isEqualTo("missed: 300s late, startingDeadlineSeconds is 150");
  }

  @Test
  void forbidSkipsWhileARunIsActiveIncludingOneStartedByThisPlan() {
    assertThat(plan(T, T, false, null, ConcurrencyPolicy.Forbid, 1).fires())
        .containsExactly(
            new PlannedFire(
                T, Outcome.SKIP, "previous run still active; concurrencyPolicy Forbid"));
    FirePlan p = plan(T, T.plusSeconds(120), true, null, ConcurrencyPolicy.Forbid, 0);
    assertThat(p.fires())
        .extracting(PlannedFire::outcome)
        .containsExactly(Outcome.RUN, Outcome.SKIP, Outcome.SKIP);
  }

  @Test
  void replaceCancelsTheActiveRunAndKeepsOnlyTheLastFire() {
    FirePlan one = plan(T, T, false, null, ConcurrencyPolicy.Replace, 2);
    assertThat(one.cancelActive()).isTrue();
    assertThat(one.fires()).containsExactly(new PlannedFire(T, Outcome.RUN, null));
    FirePlan many = plan(T, T.plusSeconds(120), true, null, ConcurrencyPolicy.Replace, 0);
    assertThat(many.cancelActive()).isFalse();
    assertThat(many.fires())
        .extracting(PlannedFire::outcome)
        .containsExactly(Outcome.MISS, Outcome.MISS, Outcome.RUN);
  }

  @Test
  void aLongOutageRecordsTheLatestHundredMissesAndCountsTheRest() {
    FirePlan p = plan(T, T.plusSeconds(60L * 500), false, null, ConcurrencyPolicy.Allow, 0);
    long misses = p.fires().stream().filter(f -> f.outcome() == Outcome.MISS).count();
    assertThat(misses).isEqualTo(FirePlanner.MAX_RECORDED_MISSES);
    assertThat(p.unrecordedMisses()).isEqualTo(500 - FirePlanner.MAX_RECORDED_MISSES);
    assertThat(p.fires().get(p.fires().size() - 1).outcome()).isEqualTo(Outcome.RUN);
  }

  @Test
  void allowPlansTheFiresUpToTheHorizonAheadOfTheirTime() {
    Instant now = T.plusSeconds(5);
    FirePlan p =
        FirePlanner.plan(
            EVERY_MINUTE, UTC, T, now, T.plusSeconds(120), false, null, ConcurrencyPolicy.Allow, 0);
    assertThat(p.fires())
        .containsExactly(
            new PlannedFire(T, Outcome.RUN, null),
            new PlannedFire(T.plusSeconds(60), Outcome.RUN, null),
            new PlannedFire(T.plusSeconds(120), Outcome.RUN, null));
    assertThat(p.nextFireAt()).isEqualTo(T.plusSeconds(180));
  }

  @Test
  void aJobNotYetDueIsPlannedAheadOnlyUnderAllow() {
    Instant now = T.minusSeconds(3);
    FirePlan allow =
        FirePlanner.plan(
            EVERY_MINUTE, UTC, T, now, T.plusSeconds(2), false, 5L, ConcurrencyPolicy.Allow, 1);
    assertThat(allow.fires()).containsExactly(new PlannedFire(T, Outcome.RUN, null));
    assertThat(allow.nextFireAt()).isEqualTo(T.plusSeconds(60));
    for (ConcurrencyPolicy policy :
        new ConcurrencyPolicy[] {ConcurrencyPolicy.Forbid, ConcurrencyPolicy.Replace}) {
      FirePlan p =
          FirePlanner.plan(EVERY_MINUTE, UTC, T, now, T.plusSeconds(2), false, 5L, policy, 1);
      assertThat(p.fires()).isEmpty();
      assertThat(p.cancelActive()).isFalse();
      assertThat(p.nextFireAt()).isEqualTo(T);
    }
  }
}
