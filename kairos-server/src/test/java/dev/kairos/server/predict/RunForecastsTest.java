package dev.kairos.server.predict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.kairos.core.predict.RunForecast;
import dev.kairos.core.protocol.Assignment;
import dev.kairos.core.protocol.Completion;
import dev.kairos.core.run.AttemptState;
import dev.kairos.core.spec.JobManifest;
import dev.kairos.core.spec.JobManifestCodec;
import dev.kairos.core.spec.TaskSpec;
import dev.kairos.store.Claim;
import dev.kairos.store.NewEvent;
import dev.kairos.store.NewRun;
import dev.kairos.store.RunRecord;
import dev.kairos.store.Store;
import dev.kairos.store.StoreConfig;
import dev.kairos.store.StoreFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job that declares {@code spec.sizeParam}: its runs' forecasts follow the size of each run, as
 * learnt from the sizes and durations of its past runs, on a real SQLite store.
 */
class RunForecastsTest {
  static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
  static final RandomGenerator RANDOM = RandomGenerator.of("L64X128MixRandom");

  @TempDir Path dir;
  Store store;
  JobManifest job;

  @BeforeEach
  void open() {
    store = StoreFactory.open(StoreConfig.sqlite(dir));
    job =
        JobManifestCodec.parseYaml(
            """
            apiVersion: kairos.dev/v1
            kind: Job
            metadata: {name: load}
            spec:
              sizeParam: rows
              triggers: [{event: {type: file-landed}}]
              task: {shell: {command: "true"}}
            """);
    store.applyJob(job, JobManifestCodec.toJson(job), null, T0);
  }

  @AfterEach
  void close() {
    store.close();
  }

  private RunRecord event(String id, String data) {
    return store.receiveEvent(new NewEvent("file-landed", "test", id, data), T0).runs().get(0);
  }

  private RunForecast forecast(RunRecord run) {
    List<TaskSpec> dag = store.findJob(job.key()).orElseThrow().manifest().spec().tasks();
    return RunForecasts.of(store, run, dag, store.attemptsOf(run.id()), T0);
  }

  @Test
  void aRunsForecastFollowsItsSizeAsLearntFromPastRuns() {
    // 30 past runs of 1,000 to 512,000 rows, each taking 2 ms a row
    for (int i = 0; i < 30; i++) {
      long rows = 1000L << (i % 10);
      event("past-" + i, "{\"rows\": " + rows + "}");
      Assignment a =
          store
              .claimAttempts(Claim.any("default", "w", 10), T0, Duration.ZERO, Duration.ofHours(9))
              .get(0);
      store.completeAttempts(
          "w",
          List.of(new Completion(a.attemptId(), AttemptState.SUCCEEDED, 0, null).fenced(a.fence())),
          T0.plusMillis(2 * rows),
          RANDOM);
    }
    double small = p50(event("small", "{\"rows\": 2000}"));
    double large = p50(event("large", "{\"rows\": \"300000\"}"));
    assertThat(small).isCloseTo(4_000, within(400.0));
    assertThat(large).isCloseTo(600_000, within(60_000.0));
    // without a size the forecast is the usual duration over all sizes
    double unsized = p50(store.createRun(NewRun.manual(job.key(), null), T0));
    assertThat(unsized).isBetween(small * 2, large);
  }

  private double p50(RunRecord run) {
    return forecast(run).tasks().get("main").prediction().p50();
  }
}
