package dev.kairos.server.predict;

import dev.kairos.core.predict.DurationPredictor;
import dev.kairos.core.predict.Prediction;
import dev.kairos.core.predict.RunForecast;
import dev.kairos.core.predict.Sample;
import dev.kairos.core.run.TaskOrder;
import dev.kairos.core.spec.TaskSpec;
import dev.kairos.store.AttemptRecord;
import dev.kairos.store.RunRecord;
import dev.kairos.store.Store;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A run's forecast: each task's predicted duration learnt from the job's last {@value
 * DurationPredictor#HISTORY_RUNS} runs (see {@link DurationPredictor}), and the run's predicted
 * finish along its critical path.
 */
public final class RunForecasts {
  private static final DurationPredictor PREDICTOR = DurationPredictor.defaults();

  private RunForecasts() {}

  /**
   * @param ended per task, whether it has ended (with or without running: skipped, marked)
   */
  public static RunForecast of(
      Store store,
      RunRecord run,
      List<TaskSpec> dag,
      List<AttemptRecord> attempts,
      Map<String, Boolean> ended,
      Instant now) {
    Map<String, List<Sample>> history =
        store.taskDurations(run.job(), run.id(), DurationPredictor.HISTORY_RUNS);
    Map<String, Prediction> predictions = new HashMap<>();
    history.forEach((task, samples) ->
        PREDICTOR.predict(samples, run.sizeOrNaN()).ifPresent(p -> predictions.put(task, p)));
    Map<String, AttemptRecord> latest = new HashMap<>();
    attempts.stream().filter(a -> !a.cleared()).forEach(a -> latest.put(a.task().name(), a));
    List<RunForecast.TaskNow> tasks = new ArrayList<>();
    for (TaskSpec t : TaskOrder.of(dag).upstreamFirst()) {
      AttemptRecord a = latest.get(t.name());
      Instant started = a == null ? null : a.startedAt();
      Instant finished = a == null || !a.state().terminal() ? null : a.finishedAt();
      if (finished == null && ended.getOrDefault(t.name(), false)) {
        // decided without running (skipped, upstream failed, marked)
        finished = started == null ? now : started;
      }
      tasks.add(new RunForecast.TaskNow(t.name(), t.dependsOn(), started, finished));
    }
    return RunForecast.of(tasks, predictions, now);
  }

  /** As {@link #of}, a task counting as ended when its latest attempt has. */
  public static RunForecast of(
      Store store, RunRecord run, List<TaskSpec> dag, List<AttemptRecord> attempts, Instant now) {
    Map<String, Boolean> ended = new HashMap<>();
    attempts.stream()
        .filter(a -> !a.cleared())
        .forEach(a -> ended.put(a.task().name(), a.state().terminal()));
    return of(store, run, dag, attempts, ended, now);
  }
}
