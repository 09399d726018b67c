package dev.kairos.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Applies each example of examples/ to a real `kairos up` process and checks the outcome. */
class ExamplesIT {
  @TempDir static Path dir;
  static KairosProcess kairos;

  @BeforeAll
  static void start() throws Exception {
    kairos = KairosProcess.up(dir.resolve("state")).start();
  }

  @AfterAll
  static void stop() throws Exception {
    kairos.close();
  }

  static String example(String name) throws Exception {
    return Files.readString(Path.of("..", "examples", name));
  }

  JsonNode apply(String file) throws Exception {
    KairosProcess.Response r = kairos.call("PUT", "/api/v1/jobs", example(file));
    assertThat(r.status()).as(r.body().toString()).isIn(200, 201);
    return r.body().get("job");
  }

  JsonNode triggerAndWait(String job) throws Exception {
    KairosProcess.Response r = kairos.call("POST", "/api/v1/jobs/default/" + job + "/runs", null);
    assertThat(r.status()).isEqualTo(201);
    long id = r.body().get("id").asLong();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> !Set.ACTIVE.contains(kairos.get("/api/v1/runs/" + id).get("state").asText()));
    return kairos.get("/api/v1/runs/" + id);
  }

  private static final class Set {
    static final java.util.Set<String> ACTIVE = java.util.Set.of("PENDING", "RUNNING");
  }

  @Test
  void helloRunsEveryMinuteAndPrintsTheGreeting() throws Exception {
    JsonNode job = apply("hello.yaml");
    assertThat(job.get("schedule").asText()).isEqualTo("* * * * *");
    Instant next = Instant.parse(job.get("nextFireAt").asText());
    assertThat(next.getEpochSecond() % 60).isZero();

    JsonNode run = triggerAndWait("hello");
    assertThat(run.get("state").asText()).isEqualTo("SUCCEEDED");
    JsonNode logs = kairos.get("/api/v1/runs/" + run.get("id").asLong() + "/logs").get("items");
    StringBuilder text = new StringBuilder();
    logs.forEach(l -> text.append(l.get("text").asText()));
    assertThat(text.toString()).contains("Hello from the Kairos scheduler");
  }

  @Test
  void dataProcessingKeepsItsPoliciesAndRuns() throws Exception {
    JsonNode job = apply("data-processing.yaml");
    assertThat(job.get("timeZone").asText()).isEqualTo("Asia/Shanghai");
    assertThat(job.get("concurrencyPolicy").asText()).isEqualTo("Forbid");
    JsonNode spec = job.get("manifest").get("spec");
    assertThat(spec.get("priority").asInt()).isEqualTo(1000);
    assertThat(spec.at("/resources/requests/cpu").asText()).isEqualTo("500m");
    assertThat(spec.at("/resources/limits/memory").asText()).isEqualTo("2Gi");
    // next fire: 02:00 in Shanghai is 18:00 UTC
    Instant next = Instant.parse(job.get("nextFireAt").asText());
    assertThat(next.atZone(java.time.ZoneId.of("Asia/Shanghai")).getHour()).isEqualTo(2);

    JsonNode run = triggerAndWait("data-processing");
    assertThat(run.get("state").asText()).isEqualTo("SUCCEEDED");
  }

  @Test
  void retryBackoffFailsTwiceThenSucceedsWithGrowingDelays() throws Exception {
    apply("retry-backoff.yaml");
    JsonNode run = triggerAndWait("retry-backoff");
    assertThat(run.get("state").asText()).as(run.toString()).isEqualTo("SUCCEEDED");
    JsonNode attempts = run.get("attempts");
    assertThat(attempts).hasSize(3);
    assertThat(attempts.get(0).get("state").asText()).isEqualTo("FAILED");
    assertThat(attempts.get(1).get("state").asText()).isEqualTo("FAILED");
    assertThat(attempts.get(2).get("state").asText()).isEqualTo("SUCCEEDED");
    // backoff 1s then 2s: each retry is not dispatched before its not-before time
    for (int i = 1; i <= 2; i++) {
      Instant prevEnd = Instant.parse(attempts.get(i - 1).get("finishedAt").asText());
      Instant notBefore = Instant.parse(attempts.get(i).get("notBefore").asText());
      Instant started = Instant.parse(attempts.get(i).get("startedAt").asText());
      long expected = 1000L << (i - 1);
      assertThat(Duration.between(prevEnd, notBefore).toMillis())
          .isBetween(expected - 50, expected + 50);
      assertThat(started).isAfterOrEqualTo(notBefore);
    }
  }

  @Test
  void exampleDagRunsItsSecondAndThirdTasksInParallelAfterTheFirst() throws Exception {
    JsonNode job = apply("example-dag.yaml");
    assertThat(job.at("/manifest/spec/tasks")).hasSize(3);
    JsonNode run = triggerAndWait("example-dag");
    assertThat(run.get("state").asText()).as(run.toString()).isEqualTo("SUCCEEDED");
    java.util.Map<String, JsonNode> byTask = new java.util.HashMap<>();
    run.get("attempts").forEach(a -> byTask.put(a.get("task").asText(), a));
    assertThat(byTask.keySet()).containsExactlyInAnyOrder("print_date", "sleep", "templated");
    Instant firstEnded = Instant.parse(byTask.get("print_date").get("finishedAt").asText());
    Instant sleepStarted = Instant.parse(byTask.get("sleep").get("startedAt").asText());
    Instant sleepEnded = Instant.parse(byTask.get("sleep").get("finishedAt").asText());
    Instant templatedStarted = Instant.parse(byTask.get("templated").get("startedAt").asText());
    // both wait for print_date, then run side by side: templated starts while sleep (5 s) runs
    assertThat(sleepStarted).isAfterOrEqualTo(firstEnded);
    assertThat(templatedStarted).isAfterOrEqualTo(firstEnded).isBefore(sleepEnded);
  }
}
