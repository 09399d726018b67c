package dev.kairos.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The REST API against a real server, worker and SQLite store. */
class ApiTest {
  static TestServer server;
  static ApiClient api;

  static final String HELLO =
      """
      apiVersion: kairos.dev/v1
      kind: Job
      metadata: {name: %s}
      spec:
        task:
          shell: {command: "echo hello from $KAIROS_TASK"}
      """;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.sqlite();
    api = server.api();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  JsonNode waitForEnd(long runId) throws Exception {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> {
          String s = api.get("/api/v1/runs/" + runId).get("state").asText();
          return !s.equals("PENDING") && !s.equals("RUNNING");
        });
    return api.get("/api/v1/runs/" + runId);
  }

  @Test
  void healthIsOpenButEverythingElseNeedsAToken() throws Exception {
    ApiClient anonymous = new ApiClient(server.url(), null);
    assertThat(anonymous.call("GET", "/healthz", null).status()).isEqualTo(200);
    ApiClient.Response r = anonymous.call("GET", "/api/v1/jobs", null);
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.contentType()).startsWith("application/problem+json");
    assertThat(
            new ApiClient(server.url(), "kairos_wrong").call("GET", "/api/v1/jobs", null).status())
        .isEqualTo(401);
  }

  @Test
  void invalidManifestIsRejectedWithFieldPathsAndNothingStored() throws Exception {
    String bad =
        """
        apiVersion: kairos.dev/v1
        kind: Job
        metadata: {name: broken}
        spec:
          schedule: "61 * * * *"
          shedule: x
          task: {empty: {}}
        """;
    ApiClient.Response r = api.applyYaml(bad);
    assertThat(r.status()).isEqualTo(422);
    assertThat(r.contentType()).startsWith("application/problem+json");
    assertThat(r.body().get("detail").asText())
        .contains("spec.schedule: \"61 * * * *\": minute 61 is out of range 0-59");
    assertThat(r.body().get("errors")).hasSize(2);
    assertThat(r.body().get("errors").toString()).contains("spec.shedule").contains("schedule");
    assertThat(api.call("GET", "/api/v1/jobs/default/broken", null).status()).isEqualTo(404);
  }

  /** Issue 18, case 1: this job was accepted, and its first failure overflowed the retry math. */
  @Test
  void aRetryIntervalBeyondItsRangeIsRejectedWithItsFieldPath() throws Exception {
    String poison =
        """
        apiVersion: kairos.dev/v1
        kind: Job
        metadata: {name: poison}
        spec:
          retryPolicy: {maxRetries: 2, initialInterval: 999999999999d, maxInterval: 999999999999d}
          task:
            shell: {command: "exit 1"}
        """;
    ApiClient.Response r = api.applyYaml(poison);
    assertThat(r.status()).isEqualTo(422);
    assertThat(r.body().get("detail").asText())
        .contains(
            "spec.retryPolicy.initialInterval: \"999999999999d\": is more than the largest"
                + " allowed, 365d")
        .contains("spec.retryPolicy.maxInterval");
    assertThat(api.call("GET", "/api/v1/jobs/default/poison", null).status()).isEqualTo(404);
  }

  @Test
  void rejectedUpdateLeavesTheStoredVersionUntouched() throws Exception {
    assertThat(api.applyYaml(HELLO.formatted("keep")).status()).isEqualTo(201);
    String bad = HELLO.formatted("keep").replace("task:", "timeout: -5s\n  task:");
    assertThat(api.applyYaml(bad).status()).isEqualTo(422);
    JsonNode job = api.get("/api/v1/jobs/default/keep");
    assertThat(job.get("version").asLong()).isEqualTo(1);
    // applying the same manifest again is not a new version
    assertThat(api.applyYaml(HELLO.formatted("keep")).body().get("change").asText())
        .isEqualTo("UNCHANGED");
  }

  @Test
  void triggeredRunSucceedsAndKeepsItsOutput() throws Exception {
    api.applyYaml(HELLO.formatted("hello"));
    ApiClient.Response r = api.call("POST", "/api/v1/jobs/default/hello/runs", null);
    assertThat(r.status()).isEqualTo(201);
    JsonNode run = waitForEnd(r.body().get("id").asLong());
    assertThat(run.get("state").asText()).isEqualTo("SUCCEEDED");
    assertThat(run.get("trigger").asText()).isEqualTo("MANUAL");
    assertThat(run.get("attempts").get(0).get("exitCode").asInt()).isZero();
    JsonNode logs = api.get("/api/v1/runs/" + run.get("id").asLong() + "/logs");
    assertThat(logs.toString()).contains("hello from main");
  }

  @Test
  void aSecretRunsButIsNeverShownInTheJobOrTheLogs() throws Exception {
    api.applyYaml(
        """
        apiVersion: kairos.dev/v1
        kind: Job
        metadata: {name: secretive}
        spec:
          task:
            shell:
              command: 'echo "connecting with $DB_PASS"; test ${#DB_PASS} -eq 13'
              env: {DB_PASS: {secret: true, value: pa55-w0rd-xyz}}
        """);
    JsonNode job = api.get("/api/v1/jobs/default/secretive");
    assertThat(job.toString()).doesNotContain("pa55-w0rd-xyz").contains("\"value\":\"***\"");
    long id =
        api.call("POST", "/api/v1/jobs/default/secretive/runs", null).body().get("id").asLong();
    // the task saw the real value (13 characters: its test passed), its output shows the mask
    assertThat(waitForEnd(id).get("state").asText()).isEqualTo("SUCCEEDED");
    JsonNode logs = api.get("/api/v1/runs/" + id + "/logs");
    assertThat(logs.toString()).contains("connecting with ***").doesNotContain("pa55-w0rd-xyz");
  }

  @Test
  void aSecretHeaderIsSentButNeverShownInTheJobTheLogsOrTheOutputs() throws Exception {
    String token = "Bearer t0k3n-xyz-987";
    java.util.Queue<String> received = new java.util.concurrent.ConcurrentLinkedQueue<>();
    // a service that echoes the header it got, as a debugging endpoint would
    com.sun.net.httpserver.HttpServer echo =
        com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    echo.createContext(
        "/",
        ex -> {
          String auth = ex.getRequestHeaders().getFirst("Authorization");
          received.add(String.valueOf(auth));
          byte[] answer =
              ("{\"authorization\": \"" + auth + "\"}")
                  .getBytes(java.nio.charset.StandardCharsets.UTF_8);
          ex.sendResponseHeaders(200, answer.length);
          ex.getResponseBody().write(answer);
          ex.close();
        });
    echo.start();
    try {
      api.applyYaml(
          """
          apiVersion: kairos.dev/v1
          kind: Job
          metadata: {name: secret-header}
          spec:
            task:
              http:
                url: http://127.0.0.1:%d/echo
                method: GET
                headers:
                  X-Team: data
                  Authorization: {secret: true, value: "%s"}
          """
              .formatted(echo.getAddress().getPort(), token));
      JsonNode job = api.get("/api/v1/jobs/default/secret-header");
      assertThat(job.toString())
          .doesNotContain("t0k3n")
          .contains("\"Authorization\":{\"secret\":true,\"value\":\"***\"}")
          .contains("\"X-Team\":\"data\"");

      long id =
          api.call("POST", "/api/v1/jobs/default/secret-header/runs", null)
              .body()
              .get("id")
              .asLong();
      JsonNode run = waitForEnd(id);
      assertThat(run.get("state").asText()).isEqualTo("SUCCEEDED");
      assertThat(received).containsExactly(token);
      assertThat(run.toString()).doesNotContain("t0k3n");
      JsonNode logs = api.get("/api/v1/runs/" + id + "/logs");
      assertThat(logs.toString())
          .contains("{\\\"authorization\\\": \\\"***\\\"}")
          .doesNotContain("t0k3n");
    } finally {
      echo.stop(0);
    }
  }

  @Test
  void theUiIsServedWithAStrictPolicyAndLogsStreamUntilTheRunEnds() throws Exception {
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    java.net.http.HttpResponse<String> page =
        http.send(
            java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.url() + "/")).build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("<script type=\"module\" src=\"/ui/app.js\">");
    assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
        .contains("script-src 'self'");
    assertThat(api.call("GET", "/ui/secret.txt", null).status()).isEqualTo(404);

    api.applyYaml(HELLO.formatted("streamed"));
    api.applyYaml(HELLO.formatted("streamed").replace("hello from", "hi from"));
    assertThat(api.get("/api/v1/jobs/default/streamed/versions").get("items"))
        .extracting(v -> v.get("version").asLong())
        .containsExactly(2L, 1L);
    long id =
        api.call("POST", "/api/v1/jobs/default/streamed/runs", null).body().get("id").asLong();
    java.net.http.HttpResponse<String> events =
        http.send(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(server.url() + "/api/v1/runs/" + id + "/logs/stream"))
                .header("Authorization", "Bearer " + server.token())
                .header("Accept", "text/event-stream")
                .timeout(Duration.ofSeconds(30))
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(events.headers().firstValue("Content-Type").orElseThrow())
        .as("%d %s", events.statusCode(), events.body())
        .startsWith("text/event-stream");
    // the stream ends by itself once the run has ended and its logs are sent
    assertThat(events.body())
        .contains("event: log")
        .contains("hi from main")
        .endsWith("event: end\ndata: {\"state\":\"SUCCEEDED\"}\n\n");
    assertThat(api.call("GET", "/api/v1/runs/999999/logs/stream", null).status()).isEqualTo(404);
  }

  @Test
  void anActiveRunForecastsItsFinishFromThePastRunsOfItsTasks() throws Exception {
    api.applyYaml(
        """
        apiVersion: kairos.dev/v1
        kind: Job
        metadata: {name: predictable}
        spec:
          tasks:
            - {name: first, shell: {command: "sleep 0.3"}}
            - {name: second, dependsOn: [first], shell: {command: "sleep 0.3"}}
        """);
    for (int i = 0; i < 3; i++) {
      waitForEnd(
          api.call("POST", "/api/v1/jobs/default/predictable/runs", null)
              .body()
              .get("id")
              .asLong());
    }
    long id =
        api.call("POST", "/api/v1/jobs/default/predictable/runs", null).body().get("id").asLong();
    JsonNode run = api.get("/api/v1/runs/" + id);
    JsonNode forecast = run.get("forecast");
    assertThat(forecast.isNull()).as("an active run has a forecast").isFalse();
    for (String task : java.util.List.of("first", "second")) {
      JsonNode p = forecast.at("/tasks/" + task + "/prediction");
      assertThat(p.get("p50").asDouble()).as(task).isBetween(250.0, 3_000.0);
      assertThat(p.get("p90").asDouble()).isGreaterThanOrEqualTo(p.get("p50").asDouble());
      assertThat(p.get("samples").asInt()).isEqualTo(3);
    }
    Instant finish = Instant.parse(forecast.get("finish").asText());
    assertThat(finish).isAfter(Instant.parse(run.get("createdAt").asText()).plusMillis(500));
    // an ended run has none
    assertThat(waitForEnd(id).get("forecast").isNull()).isTrue();
  }

  @Test
  void aDagRunShowsEachTaskWithTheTasksThatNeverRan() throws Exception {
    api.applyYaml(
        """
        apiVersion: kairos.dev/v1
        kind: Job
        metadata: {name: dag}
        spec:
          tasks:
            - {name: extract, shell: {command: "exit 3"}}
            - {name: load, dependsOn: [extract], empty: {}}
            - {name: report, dependsOn: [load], triggerRule: noneFailed, empty: {}}
            - {name: alert, dependsOn: [extract, load], triggerRule: oneFailed, empty: {}}
            - {name: tidy, dependsOn: [alert], triggerRule: allFailed, empty: {}}
        """);
    ApiClient.Response r = api.call("POST", "/api/v1/jobs/default/dag/runs", null);
    assertThat(r.status()).isEqualTo(201);
    assertThat(r.body().get("tasks")).extracting(t -> t.get("state").asText()).contains("WAITING");
    JsonNode run = waitForEnd(r.body().get("id").asLong());
    assertThat(run.get("state").asText()).isEqualTo("FAILED");
    assertThat(run.get("reason").asText())
        .isEqualTo("task extract failed; 2 not run (upstream failed)");
    java.util.Map<String, String> states = new java.util.LinkedHashMap<>();
    run.get("tasks").forEach(t -> states.put(t.get("name").asText(), t.get("state").asText()));
    assertThat(states)
        .containsExactly(
            java.util.Map.entry("extract", "FAILED"),
            java.util.Map.entry("load", "UPSTREAM_FAILED"),
            java.util.Map.entry("report", "UPSTREAM_FAILED"),
            java.util.Map.entry("alert", "SUCCEEDED"),
            java.util.Map.entry("tidy", "SKIPPED"));
    assertThat(run.get("tasks").get(3).get("triggerRule").asText()).isEqualTo("oneFailed");
    assertThat(run.get("tasks").get(3).get("dependsOn").toString())
        .isEqualTo("[\"extract\",\"load\"]");
    assertThat(run.get("attempts"))
        .extracting(a -> a.get("task").asText())
        .containsExactly("extract", "alert");
  }

  @Test
  void cancellingADagKillsItsRunningTaskAndNothingDownstreamRuns() throws Exception {
    api.applyYaml(
        """
        apiVersion: kairos.dev/v1
        kind: Job
        metadata: {name: longdag}
        spec:
          tasks:
            - {name: slow, shell: {command: "sleep 60"}}
            - {name: quick, empty: {}}
            - {name: after, dependsOn: [slow, quick], triggerRule: allDone, empty: {}}
        """);
    long id = api.call("POST", "/api/v1/jobs/default/longdag/runs", null).body().get("id").asLong();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> api.get("/api/v1/runs/" + id).at("/tasks/0/state").asText().equals("RUNNING"));
    assertThat(
            api.call("POST", "/api/v1/runs/" + id + "/cancel", null).body().get("state").asText())
        .isEqualTo("CANCELLED");
    // the worker kills the running task at its next heartbeat and reports it
    await()
        .atMost(Duration.ofSeconds(15))
        .until(
            () -> api.get("/api/v1/runs/" + id).at("/tasks/0/state").asText().equals("CANCELLED"));
    JsonNode run = api.get("/api/v1/runs/" + id);
    assertThat(run.get("state").asText()).isEqualTo("CANCELLED");
    // allDone would have run once slow ended: a cancelled run queues nothing more
    assertThat(run.at("/tasks/2/state").asText()).isEqualTo("CANCELLED");
    assertThat(run.get("attempts"))
        .extracting(a -> a.get("task").asText())
        .containsExactlyInAnyOrder("slow", "quick");
  }

  @Test
  void allDoneAndOneSuccessRunAfterAFailureWhileAllSuccessDoesNot() throws Exception {
    api.applyYaml(
        """
        apiVersion: kairos.dev/v1
        kind: Job
        metadata: {name: rules}
        spec:
          tasks:
            - {name: bad, shell: {command: "exit 1"}}
            - {name: good, shell: {command: "true"}}
            - {name: either, dependsOn: [bad, good], triggerRule: oneSuccess, empty: {}}
            - {name: finally, dependsOn: [bad, good], triggerRule: allDone, empty: {}}
            - {name: strict, dependsOn: [bad, good], empty: {}}
        """);
    ApiClient.Response r = api.call("POST", "/api/v1/jobs/default/rules/runs", null);
    JsonNode run = waitForEnd(r.body().get("id").asLong());
    java.util.Map<String, String> states = new java.util.LinkedHashMap<>();
    run.get("tasks").forEach(t -> states.put(t.get("name").asText(), t.get("state").asText()));
    assertThat(states)
        .containsExactly(
            java.util.Map.entry("bad", "FAILED"),
            java.util.Map.entry("good", "SUCCEEDED"),
            java.util.Map.entry("either", "SUCCEEDED"),
            java.util.Map.entry("finally", "SUCCEEDED"),
            java.util.Map.entry("strict", "UPSTREAM_FAILED"));
    assertThat(run.get("state").asText()).isEqualTo("FAILED");
  }

  @Test
  void aFireTimeRunsOneFireOfTheScheduleOnceAndBadOnesAreRejected() throws Exception {
    api.applyYaml(
        """
        apiVersion: kairos.dev/v1
        kind: Job
        metadata: {name: nightly}
        spec:
          schedule: "30 2 * * *"
          timeZone: America/New_York
          task: {empty: {}}
        """);
    String path = "/api/v1/jobs/default/nightly/runs";
    ApiClient.Response first = api.call("POST", path, "{\"fireTime\": \"2026-03-03T07:30:00Z\"}");
    assertThat(first.status()).as(first.body().toString()).isEqualTo(201);
    assertThat(first.body().get("trigger").asText()).isEqualTo("SCHEDULE");
    assertThat(first.body().get("fireTime").asText()).isEqualTo("2026-03-03T07:30:00Z");
    ApiClient.Response again = api.call("POST", path, "{\"fireTime\": \"2026-03-03T07:30:00Z\"}");
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.body().get("id")).isEqualTo(first.body().get("id"));

    ApiClient.Response off = api.call("POST", path, "{\"fireTime\": \"2026-03-03T07:31:00Z\"}");
    assertThat(off.status()).isEqualTo(422);
    assertThat(off.body().get("detail").asText())
        .isEqualTo(
            "fireTime: \"2026-03-03T07:31:00Z\": is not a fire time of \"30 2 * * *\" in"
                + " America/New_York; the next one is 2026-03-04T07:30:00Z");
    assertThat(api.call("POST", path, "{\"fireTime\": \"2999-01-01T07:30:00Z\"}").body().toString())
        .contains("is in the future");
    assertThat(api.call("POST", path, "{\"fireTime\": \"yesterday\"}").status()).isEqualTo(400);
    assertThat(api.call("POST", path, "{\"when\": 1}").status()).isEqualTo(400);
  }

  @Test
  void sameIdempotencyKeyReturnsTheSameRun() throws Exception {
    api.applyYaml(HELLO.formatted("idem"));
    ApiClient.Response first =
        api.call("POST", "/api/v1/jobs/default/idem/runs", null, "Idempotency-Key", "order-42");
    ApiClient.Response again =
        api.call("POST", "/api/v1/jobs/default/idem/runs", null, "Idempotency-Key", "order-42");
    assertThat(first.status()).isEqualTo(201);
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.body().get("id").asLong()).isEqualTo(first.body().get("id").asLong());
    assertThat(api.get("/api/v1/runs?job=default/idem").get("items")).hasSize(1);
  }

  @Test
  void unknownJobAndRunAre404AndBadParametersAre400() throws Exception {
    assertThat(api.call("POST", "/api/v1/jobs/default/nope/runs", null).status()).isEqualTo(404);
    assertThat(api.call("GET", "/api/v1/runs/999999", null).status()).isEqualTo(404);
    ApiClient.Response bad = api.call("GET", "/api/v1/runs?state=DONE", null);
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.body().get("detail").asText()).contains("state").contains("SUCCEEDED");
    assertThat(api.call("GET", "/api/v1/runs/abc", null).status()).isEqualTo(400);
    assertThat(api.call("GET", "/api/v1/nowhere", null).status()).isEqualTo(404);
  }

  @Test
  void timeoutKillsTheAttemptAndRecordsTimedOut() throws Exception {
    api.applyYaml(
        """
        apiVersion: kairos.dev/v1
        kind: Job
        metadata: {name: slowpoke}
        spec:
          timeout: 1s
          task:
            shell: {command: "sleep 60"}
        """);
    long id =
        api.call("POST", "/api/v1/jobs/default/slowpoke/runs", null).body().get("id").asLong();
    JsonNode run = waitForEnd(id);
    assertThat(run.get("state").asText()).isEqualTo("FAILED");
    assertThat(run.get("attempts").get(0).get("state").asText()).isEqualTo("TIMED_OUT");
    assertThat(run.get("reason").asText()).contains("main");
  }

  @Test
  void cancelStopsARunningRun() throws Exception {
    api.applyYaml(
        """
        apiVersion: kairos.dev/v1
        kind: Job
        metadata: {name: longrun}
        spec:
          task:
            shell: {command: "sleep 60"}
        """);
    long id = api.call("POST", "/api/v1/jobs/default/longrun/runs", null).body().get("id").asLong();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> api.get("/api/v1/runs/" + id).get("state").asText().equals("RUNNING"));
    JsonNode cancelled = api.call("POST", "/api/v1/runs/" + id + "/cancel", null).body();
    assertThat(cancelled.get("state").asText()).isEqualTo("CANCELLED");
    await()
        .atMost(Duration.ofSeconds(15))
        .until(() ->
            api.get("/api/v1/runs/" + id)
                .get("attempts")
                .get(0)
                .get("state")
                .asText()
                .equals("CANCELLED"));
  }

  @Test
  void suspendStopsScheduleFiresAndResumeRestartsThem() throws Exception {
    api.applyYaml(
        """
        apiVersion: kairos.dev/v1
        kind: Job
        metadata: {name: pausable}
        spec:
          schedule: "0 0 1 1 *"
          task: {empty: {}}
        """);
    JsonNode suspended = api.call("POST", "/api/v1/jobs/default/pausable/suspend", null).body();
    assertThat(suspended.get("suspended").asBoolean()).isTrue();
    assertThat(suspended.get("nextFireAt").isNull()).isTrue();
    JsonNode resumed = api.call("POST", "/api/v1/jobs/default/pausable/resume", null).body();
    assertThat(resumed.get("suspended").asBoolean()).isFalse();
    assertThat(resumed.get("nextFireAt").asText()).endsWith("-01-01T00:00:00Z");
  }

  static String poll(String fields) {
    return "{\"workerId\":\"w-http\",\"pool\":\"nobody-serves-this\",\"waitMillis\":0,"
        + fields
        + "}";
  }

  @Test
  void workerProtocolAnswersOverHttpAndRejectsMalformedBodies() throws Exception {
    ApiClient worker =
        new ApiClient(server.url(), server.credential("w-http", "nobody-serves-this", "east"));
    ApiClient.Response poll =
        worker.call(
            "POST",
            "/api/v1/worker/poll",
            poll(
                "\"cluster\":\"east\",\"labels\":{\"zone\":\"a\",\"kairos.dev/gpu\":\"\"},"
                    + "\"capacity\":{\"cpu\":\"500m\",\"memory\":\"1Gi\",\"slots\":8},\"max\":5"));
    assertThat(poll.status()).as(poll.body().toString()).isEqualTo(200);
    assertThat(poll.body().get("assignments")).isEmpty();
    ApiClient.Response bad = worker.call("POST", "/api/v1/worker/complete", "{bad json");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.contentType()).startsWith("application/problem+json");
    ApiClient.Response badMax =
        worker.call(
            "POST",
            "/api/v1/worker/poll",
            poll("\"capacity\":{\"cpu\":\"1\",\"memory\":\"1Gi\",\"slots\":4},\"max\":0"));
    assertThat(badMax.status()).isEqualTo(400);
    assertThat(badMax.body().get("detail").asText()).contains("max");
    ApiClient.Response badJob = api.call("PUT", "/api/v1/jobs", "{\"apiVersion\": ");
    assertThat(badJob.status()).isEqualTo(422);
    assertThat(badJob.body().get("detail").asText()).contains("not valid JSON");
  }

  @Test
  void aPollWithABadDeclarationIsRejectedNamingEachField() throws Exception {
    ApiClient api = server.enrolled("w-http", "nobody-serves-this");
    ApiClient.Response r =
        api.call(
            "POST",
            "/api/v1/worker/poll",
            poll(
                "\"cluster\":\"East\",\"labels\":{\"-x\":\"a\",\"zone\":\"a b\"},"
                    + "\"capacity\":{\"cpu\":\"0\",\"memory\":\"4GB\",\"slots\":4},\"max\":9"));
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.contentType()).startsWith("application/problem+json");
    assertThat(r.body().get("errors").findValuesAsText("path"))
        .containsExactlyInAnyOrder(
            "cluster", "labels", "labels.zone", "capacity.cpu", "capacity.memory");
    assertThat(r.body().get("detail").asText())
        .contains("capacity.memory: \"4GB\": not a memory quantity");

    ApiClient.Response noCapacity = api.call("POST", "/api/v1/worker/poll", poll("\"max\":1"));
    assertThat(noCapacity.status()).isEqualTo(400);
    assertThat(noCapacity.body().get("detail").asText()).contains("capacity: is required");

    ApiClient.Response tooMany =
        api.call(
            "POST",
            "/api/v1/worker/poll",
            poll("\"capacity\":{\"cpu\":\"1\",\"memory\":\"1Gi\",\"slots\":4},\"max\":5"));
    assertThat(tooMany.status()).isEqualTo(400);
    assertThat(tooMany.body().get("detail").asText())
        .contains("max: \"5\": must be 1 to capacity.slots (4)");

    ApiClient.Response badFree =
        api.call(
            "POST",
            "/api/v1/worker/poll",
            poll(
                "\"capacity\":{\"cpu\":\"1\",\"memory\":\"1Gi\",\"slots\":4},"
                    + "\"free\":{\"cpu\":\"-1\",\"memory\":\"2Gi\"},\"max\":1"));
    assertThat(badFree.status()).isEqualTo(400);
    assertThat(badFree.body().get("detail").asText())
        .contains("free.cpu: \"-1\": not a cpu quantity")
        .contains("free.memory: \"2Gi\": must not exceed capacity.memory");
  }

  @ParameterizedTest
  @CsvSource({"0, 0", "0m, 0Mi"})
  void aWorkerWhoseAttemptsReserveAllOfItsCpuAndMemoryStillPolls(String cpu, String memory)
      throws Exception {
    // its free slots can take attempts that request nothing; the poll was refused (free.cpu "0"
    // is no cpu quantity) and the worker retried it with back-off until an attempt ended
    ApiClient.Response r =
        server
            .enrolled("w-http", "nobody-serves-this")
            .call(
                "POST",
                "/api/v1/worker/poll",
                poll(
                    "\"capacity\":{\"cpu\":\"1\",\"memory\":\"1Gi\",\"slots\":4},"
                        + "\"free\":{\"cpu\":\"%s\",\"memory\":\"%s\"},\"max\":2"
                            .formatted(cpu, memory)));
    assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
    assertThat(r.body().get("assignments")).isEmpty();
  }

  @Test
  void workersAreToldTheServersLeaseAndHeartbeat() throws Exception {
    JsonNode config = api.get("/api/v1/worker/config");
    // TestServer: a 3s lease renewed every second
    assertThat(config.get("leaseMillis").asLong()).isEqualTo(3_000);
    assertThat(config.get("heartbeatIntervalMillis").asLong()).isEqualTo(1_000);
  }
}
