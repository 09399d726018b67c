package dev.kairos.server.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kairos.core.protocol.LogChunk;
import dev.kairos.store.AttemptRecord;
import dev.kairos.store.NotFoundException;
import dev.kairos.store.RunRecord;
import dev.kairos.store.Store;
import io.javalin.http.sse.SseClient;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * {@code GET /api/v1/runs/{id}/logs/stream}: a run's logs as server-sent events while it runs. Each
 * chunk is a {@code log} event (the same fields as {@code GET /logs}); when the run has ended and
 * its last chunks are sent, an {@code end} event with its state closes the stream. The store is
 * read every half second: workers ship logs in chunks, so a live view never lags by more than that
 * plus the worker's flush interval.
 */
final class LogStream {
  private static final long POLL_MILLIS = 500;

  private final Store store;
  private final ObjectMapper mapper;

  LogStream(Store store, ObjectMapper mapper) {
    this.store = store;
    this.mapper = mapper;
  }

  void stream(SseClient client, long runId) {
    Set<String> sent = new HashSet<>();
    try {
      while (!client.terminated()) {
        RunRecord run =
            store
                .findRun(runId)
                .orElseThrow(() -> new NotFoundException("run " + runId + " not found"));
        // read the state before the logs: a run seen ended has shipped all its chunks
        boolean ended = !run.state().active();
        Map<Long, AttemptRecord> attempts =
            store.attemptsOf(runId).stream()
                .collect(Collectors.toMap(AttemptRecord::id, Function.identity()));
        for (LogChunk c : store.logsOfRun(runId)) {
          if (sent.add(c.attemptId() + ":" + c.seq())) {
            client.sendEvent("log", json(Views.log(c, attempts)));
          }
        }
        if (ended) {
          client.sendEvent("end", json(Map.of("state", run.state().name())));
          return;
        }
        Thread.sleep(POLL_MILLIS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private String json(Object o) {
    try {
      return mapper.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a log view always serialises", e);
    }
  }
}
