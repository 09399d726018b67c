package dev.kairos.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kairos.core.protocol.LogChunk;
import dev.kairos.core.spec.Durations;
import dev.kairos.core.spec.JobSpec;
import dev.kairos.store.AttemptRecord;
import dev.kairos.store.JobRecord;
import dev.kairos.store.RunRecord;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

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
      String state,
      String reason,
      Instant createdAt,
      Instant startedAt,
      Instant finishedAt,
      String duration,
      List<AttemptView> attempts) {}

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
      String error) {}

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
      manifest = mapper.readTree(job.manifestJson());
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
        job.missedFires(),
        job.createdAt(),
        job.updatedAt(),
        lastRun == null ? null : run(lastRun, null),
        manifest);
  }

  static RunView run(RunRecord run, List<AttemptRecord> attempts) {
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
        run.state().name(),
        run.reason(),
        run.createdAt(),
        run.startedAt(),
        run.finishedAt(),
        duration,
        attempts == null ? null : attempts.stream().map(Views::attempt).toList());
  }

  static AttemptView attempt(AttemptRecord a) {
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
        a.error());
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
