package dev.kairos.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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

  @Test
  void serverlessCallsTheLocalFunctionsWithTheEventAndTheUpstreamOutputs() throws Exception {
    List<String> calls = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.concurrent.atomic.AtomicInteger transcodes =
        new java.util.concurrent.atomic.AtomicInteger();
    com.sun.net.httpserver.HttpServer fn =
        com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    fn.createContext(
        "/",
        ex -> {
          String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          calls.add(
              ex.getRequestURI().getPath()
                  + " "
                  + ex.getRequestHeaders().getFirst("Idempotency-Key")
                  + " "
                  + body);
          byte[] answer;
          int status;
          if (ex.getRequestURI().getPath().equals("/transcode")) {
            // the first call fails with a 503: retried under the retry policy
            status = transcodes.getAndIncrement() == 0 ? 503 : 200;
            answer =
                "{\"output\": \"s3://out/clip.mp4\", \"seconds\": 12}"
                    .getBytes(StandardCharsets.UTF_8);
          } else {
            status = 202;
            answer = new byte[0];
          }
          ex.sendResponseHeaders(status, answer.length == 0 ? -1 : answer.length);
          ex.getResponseBody().write(answer);
          ex.close();
        });
    fn.start();
    try {
      String yaml =
          example("serverless.yaml")
              .replace("127.0.0.1:8089", "127.0.0.1:" + fn.getAddress().getPort());
      assertThat(kairos.call("PUT", "/api/v1/jobs", yaml).status()).isIn(200, 201);
      KairosProcess.Response r =
          kairos.call(
              "POST",
              "/api/v1/events",
              "{\"type\": \"upload-done\", \"source\": \"test\", \"id\": \"u-1\","
                  + " \"data\": {\"file\": \"clip \\\"raw\\\".mov\"}}");
      assertThat(r.status()).isEqualTo(202);
      long id = r.body().at("/runs/0/id").asLong();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> !Set.ACTIVE.contains(kairos.get("/api/v1/runs/" + id).get("state").asText()));
      JsonNode run = kairos.get("/api/v1/runs/" + id);
      assertThat(run.get("state").asText()).as(run.toString()).isEqualTo("SUCCEEDED");
      assertThat(calls).hasSize(3);
      // the template's values, JSON-escaped (the file name holds quotes)
      assertThat(calls.get(1))
          .startsWith("/transcode event:test:u-1/transcode ")
          .endsWith("{\"file\": \"clip \\\"raw\\\".mov\", \"run\": \"" + id + "\"}");
      // the retry carried the same idempotency key
      assertThat(calls.get(0).split(" ")[1]).isEqualTo(calls.get(1).split(" ")[1]);
      assertThat(calls.get(2)).endsWith("{\"output\": \"s3://out/clip.mp4\", \"seconds\": \"12\"}");
    } finally {
      fn.stop(0);
    }
  }
}
