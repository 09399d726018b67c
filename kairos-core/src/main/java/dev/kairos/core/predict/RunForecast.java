package dev.kairos.core.predict;

import dev.kairos.core.time.Saturating;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * When a run will finish, from its DAG and each task's predicted p50: the critical path from now. A
 * task that ended ends when it did; a running one at its start plus p50, or now if it has run
 * longer; one not started yet at the latest predicted end of its upstream tasks (or now) plus its
 * p50. The run ends with its last task. Unknown when a task that has not ended has no prediction.
 *
 * @param finish the predicted end of the run; null when unknown
 * @param tasks per task: its predicted start and finish (null when unknown)
 */
public record RunForecast(Instant finish, Map<String, TaskForecast> tasks) {

  /** A task's place in the forecast. */
  public record TaskForecast(Prediction prediction, Instant start, Instant finish) {}

  /** A task of the run as it stands: its upstream tasks, and when it started and ended (if so). */
  public record TaskNow(String name, List<String> dependsOn, Instant startedAt, Instant endedAt) {}

  /**
   * @param tasks in topological order (upstream first), as the job's DAG lists them after sorting
   * @param predictions by task name; a missing one is unknown
   */
  public static RunForecast of(
      List<TaskNow> tasks, Map<String, Prediction> predictions, Instant now) {
    Map<String, TaskForecast> out = new LinkedHashMap<>();
    Map<String, Instant> ends = new HashMap<>();
    boolean known = true;
    Instant last = null;
    for (TaskNow t : tasks) {
      Prediction p = predictions.get(t.name());
      Instant start;
      Instant end;
      if (t.endedAt() != null) {
        start = t.startedAt();
        end = t.endedAt();
      } else if (t.startedAt() != null) {
        start = t.startedAt();
        end = p == null ? null : later(now, Saturating.plus(t.startedAt(), millis(p.p50())));
      } else {
        Instant ready = now;
        for (String up : t.dependsOn()) {
          Instant upEnd = ends.get(up);
          ready = upEnd == null ? null : ready == null ? null : later(ready, upEnd);
        }
        start = ready;
        end = ready == null || p == null ? null : Saturating.plus(ready, millis(p.p50()));
      }
      ends.put(t.name(), end);
      out.put(t.name(), new TaskForecast(p, start, end));
      if (end == null) {
        known = false;
      } else {
        last = last == null ? end : later(last, end);
      }
    }
    return new RunForecast(known ? last : null, out);
  }

  private static Duration millis(double ms) {
    return Duration.ofMillis(Math.round(ms));
  }

  private static Instant later(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }
}
