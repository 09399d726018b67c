package dev.kairos.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kairos.core.predict.RunForecast;
import dev.kairos.core.protocol.Allocation;
import dev.kairos.core.protocol.LogChunk;
import dev.kairos.core.run.AttemptState;
import dev.kairos.core.run.RunAdvancer;
import dev.kairos.core.run.RunState;
import dev.kairos.core.spec.Durations;
import dev.kairos.core.spec.JobManifestCodec;
import dev.kairos.core.spec.JobSpec;
import dev.kairos.core.spec.TaskSpec;
import dev.kairos.server.predict.RunForecasts;
import dev.kairos.store.AttemptRecord;
import dev.kairos.store.JobRecord;
import dev.kairos.store.RunRecord;
import dev.kairos.store.Store;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** The JSON shapes of the API (see docs/api.md); built from store records, never the reverse. */
final class Views {
  private Views() {}

  record JobView(
      String namespace,
      String name,
      long version,
      String schedule,
      String timeZone,
      boolean suspended,
      String concurrencyPolicy,
      Instant nextFireAt,
      String scheduleError,
      long missedFires,
      Instant createdAt,
      Instant updatedAt,
      RunView lastRun,
      JsonNode manifest) {}

  record RunView(
      long id,
      String namespace,
      String job,
      long jobVersion,
      String trigger,
      Instant fireTime,
      String idempotencyKey,
      Double size,
      String state,
      String reason,
      Instant createdAt,
      Instant startedAt,
      Instant finishedAt,
      String duration,
      List<TaskView> tasks,
      List<AttemptView> attempts,
      RunForecast forecast) {}

  /**
   * A task of a run: its latest attempt's state, or, without an attempt, WAITING (for its upstream
   * tasks), SKIPPED or UPSTREAM_FAILED (decided never to run), or CANCELLED (the run was cancelled
   * before it started).
   */
  record TaskView(
      String name, List<String> dependsOn, String triggerRule, String state, boolean marked) {}

  /**
   * An attempt.
   *
   * @param requests what it requests of its worker ({@code cpu}, {@code memory}); empty if nothing
   * @param cluster the cluster its run was given ({@code placement.clusters}), or null
   * @param waiting why it is queued and not running, when it is due and no live worker can take it
   *     (e.g. {@code no worker in pool gpu has 8 cpu; largest is 4}); null otherwise
   */
  record AttemptView(
      long id,
      String task,
      int attempt,
      String state,
      String workerId,
      Instant createdAt,
      Instant notBefore,
      Instant startedAt,
      Instant finishedAt,
      Integer exitCode,
      String error,
      Map<String, String> outputs,
      boolean cleared,
      String pool,
      Map<String, String> requests,
      String cluster,
      String waiting) {}

  record LogView(
      long attemptId,
      int attempt,
      String task,
      int seq,
      String stream,
      Instant timestamp,
      String text) {}

  record Items<T>(List<T> items) {}

  static JobView job(JobRecord job, RunRecord lastRun, ObjectMapper mapper) {
    JobSpec spec = job.manifest().spec();
    JsonNode manifest;
    try {
      // what people see of a job never holds its secrets
      manifest = mapper.readTree(JobManifestCodec.toJson(job.manifest().redacted()));
    } catch (java.io.IOException e) {
      throw new UncheckedIOException(e);
    }
    return new JobView(
        job.key().namespace(),
        job.key().name(),
        job.version(),
        spec.schedule(),
        spec.timeZone().getId(),
        job.suspended(),
        spec.concurrencyPolicy().name(),
        job.nextFireAt(),
        job.scheduleError(),
        job.missedFires(),
        job.createdAt(),
        job.updatedAt(),
        lastRun == null ? null : run(lastRun, null, null),
        manifest);
  }

  /** A run with its tasks and attempts, as one run is shown. */
  static RunView detail(Store store, RunRecord run) {
    return detail(store, run, a -> null);
  }

  /** A run with its tasks and attempts, each queued one with why it waits. */
  static RunView detail(Store store, RunRecord run, Function<AttemptRecord, String> waiting) {
    return detail(store, run, waiting, null);
  }

  /**
   * A run with its tasks and attempts, each queued one with why it waits, and, while it is active
   * and {@code now} is given, its forecast (predicted durations and finish).
   */
  static RunView detail(
      Store store, RunRecord run, Function<AttemptRecord, String> waiting, Instant now) {
    List<AttemptRecord> attempts = store.attemptsOf(run.id());
    List<TaskSpec> dag =
        store.jobVersion(run.job(), run.jobVersion()).map(m -> m.spec().tasks()).orElse(List.of());
    List<TaskView> tasks = tasks(run, dag, attempts, store.taskMarks(run.id()));
    RunForecast forecast = null;
    if (now != null && run.state().active() && !dag.isEmpty()) {
      Map<String, Boolean> ended = new HashMap<>();
      tasks.forEach(t -> ended.put(t.name(), !ACTIVE_TASK.contains(t.state())));
      forecast = RunForecasts.of(store, run, dag, attempts, ended, now);
    }
    RunView view = run(run, tasks, attempts, waiting);
    return forecast == null ? view : withForecast(view, forecast);
  }

  /** Task states (as shown) of a task that has not ended. */
  private static final java.util.Set<String> ACTIVE_TASK =
      java.util.Set.of("WAITING", "QUEUED", "RUNNING");

  private static RunView withForecast(RunView v, RunForecast forecast) {
    return new RunView(
        v.id(),
        v.namespace(),
        v.job(),
        v.jobVersion(),
        v.trigger(),
        v.fireTime(),
        v.idempotencyKey(),
        v.size(),
        v.state(),
        v.reason(),
        v.createdAt(),
        v.startedAt(),
        v.finishedAt(),
        v.duration(),
        v.tasks(),
        v.attempts(),
        forecast);
  }

  static RunView run(RunRecord run, List<TaskView> tasks, List<AttemptRecord> attempts) {
    return run(run, tasks, attempts, a -> null);
  }

  private static RunView run(
      RunRecord run,
      List<TaskView> tasks,
      List<AttemptRecord> attempts,
      Function<AttemptRecord, String> waiting) {
    String duration = null;
    if (run.startedAt() != null && run.finishedAt() != null) {
      duration = Durations.format(Duration.between(run.startedAt(), run.finishedAt()));
    }
    return new RunView(
        run.id(),
        run.job().namespace(),
        run.job().name(),
        run.jobVersion(),
        run.trigger().name(),
        run.fireTime(),
        run.idempotencyKey(),
        run.size(),
        run.state().name(),
        run.reason(),
        run.createdAt(),
        run.startedAt(),
        run.finishedAt(),
        duration,
        tasks,
        attempts == null ? null : attempts.stream().map(a -> attempt(a, waiting.apply(a))).toList(),
        null);
  }

  private static List<TaskView> tasks(
      RunRecord run, List<TaskSpec> dag, List<AttemptRecord> attempts, Map<String, String> marked) {
    Map<String, AttemptState> latest = new HashMap<>();
    attempts.stream()
        .filter(a -> !a.cleared())
        .forEach(a -> latest.put(a.task().name(), a.state())); // oldest first: last wins
    Map<String, RunAdvancer.TaskOutcome> marks = new HashMap<>();
    marked.forEach((task, state) -> marks.put(task, RunAdvancer.TaskOutcome.valueOf(state)));
    Map<String, RunAdvancer.TaskOutcome> outcomes = RunAdvancer.outcomes(dag, latest, marks);
    return dag.stream()
        .map(t -> {
          AttemptState state = latest.get(t.name());
          String shown;
          if (marks.containsKey(t.name())) {
            shown = marks.get(t.name()).name();
          } else if (state != null) {
            shown = state.name();
          } else if (outcomes.get(t.name()) == RunAdvancer.TaskOutcome.SKIPPED
              || outcomes.get(t.name()) == RunAdvancer.TaskOutcome.UPSTREAM_FAILED) {
            shown = outcomes.get(t.name()).name();
          } else {
            shown = run.state() == RunState.CANCELLED ? "CANCELLED" : "WAITING";
          }
          return new TaskView(
              t.name(),
              t.dependsOn(),
              t.triggerRule().spelling(),
              shown,
              marks.containsKey(t.name()));
        })
        .toList();
  }

  static AttemptView attempt(AttemptRecord a, String waiting) {
    return new AttemptView(
        a.id(),
        a.task().name(),
        a.attempt(),
        a.state().name(),
        a.workerId(),
        a.createdAt(),
        a.notBefore(),
        a.startedAt(),
        a.finishedAt(),
        a.exitCode(),
        a.error(),
        new java.util.TreeMap<>(a.outputs()),
        a.cleared(),
        a.pool(),
        requests(a),
        a.cluster(),
        waiting);
  }

  /** Its effective requests (a limit without a request requests the limit), as quantities. */
  private static Map<String, String> requests(AttemptRecord a) {
    Allocation r = Allocation.requestedBy(a.task().resources());
    Map<String, String> map = new java.util.TreeMap<>();
    if (r.millicores() > 0) {
      map.put("cpu", r.cpu());
    }
    if (r.memoryBytes() > 0) {
      map.put("memory", r.memory());
    }
    return map;
  }

  static LogView log(LogChunk chunk, Map<Long, AttemptRecord> attempts) {
    AttemptRecord a = attempts.get(chunk.attemptId());
    return new LogView(
        chunk.attemptId(),
        a == null ? 0 : a.attempt(),
        a == null ? null : a.task().name(),
        chunk.seq(),
        chunk.stream(),
        Instant.ofEpochMilli(chunk.timestampMillis()),
        chunk.text());
  }
}
