package dev.kairos.core.predict;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunForecastTest {
  static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");

  static Prediction p50(double ms) {
    return new Prediction(ms, ms * 2, 10);
  }

  @Test
  void theRunEndsWithItsCriticalPathFromNow() {
    // extract ran; clean runs (started 10 s ago, p50 30 s); enrich waits for extract (p50 60 s);
    // load waits for both (p50 5 s)
    List<RunForecast.TaskNow> tasks =
        List.of(
            new RunForecast.TaskNow(
                "extract", List.of(), NOW.minusSeconds(40), NOW.minusSeconds(20)),
            new RunForecast.TaskNow("clean", List.of("extract"), NOW.minusSeconds(10), null),
            new RunForecast.TaskNow("enrich", List.of("extract"), null, null),
            new RunForecast.TaskNow("load", List.of("clean", "enrich"), null, null));
    RunForecast f =
        RunForecast.of(
            tasks, Map.of("clean", p50(30_000), "enrich", p50(60_000), "load", p50(5_000)), NOW);
    assertThat(f.tasks().get("clean").finish()).isEqualTo(NOW.plusSeconds(20));
    assertThat(f.tasks().get("enrich").start()).isEqualTo(NOW);
    assertThat(f.tasks().get("load").start()).isEqualTo(NOW.plusSeconds(60));
    assertThat(f.finish()).isEqualTo(NOW.plusSeconds(65));
  }

  @Test
  void aTaskRunningLongerThanPredictedEndsNoEarlierThanNow() {
    RunForecast f =
        RunForecast.of(
            List.of(new RunForecast.TaskNow("slow", List.of(), NOW.minusSeconds(100), null)),
            Map.of("slow", p50(10_000)),
            NOW);
    assertThat(f.finish()).isEqualTo(NOW);
  }

  @Test
  void withoutAPredictionTheFinishIsUnknown() {
    RunForecast f =
        RunForecast.of(
            List.of(
                new RunForecast.TaskNow("a", List.of(), null, null),
                new RunForecast.TaskNow("b", List.of("a"), null, null)),
            Map.of("b", p50(1_000)),
            NOW);
    assertThat(f.finish()).isNull();
    assertThat(f.tasks().get("b").start()).isNull();
  }
}
