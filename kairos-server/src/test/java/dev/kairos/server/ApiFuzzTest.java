package dev.kairos.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import net.jqwik.api.sessions.JqwikSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Fault isolation at the HTTP surface (issue 18): a few thousand generated requests (valid bodies
 * edited as text and as JSON trees, random text, wrong types, huge numbers, empty and large bodies,
 * wrong content types, odd headers and path segments) go to every write endpoint of a real server
 * on SQLite. No answer may be a 5xx: a client's mistake is a 4xx that says what is wrong. The
 * server stays healthy throughout, and the jobs applied before the fuzz, in a namespace the fuzz
 * never names, are unchanged after it.
 *
 * <p>{@code -Dkairos.fuzz.requests=N} sets the number of requests (default 2000, about 30 s here);
 * {@code -Dkairos.fuzz.seed=S} replays a run, whose seed is printed at its start.
 */
class ApiFuzzTest {
  static final int REQUESTS = Integer.getInteger("kairos.fuzz.requests", 2_000);
  static final long SEED = Long.getLong("kairos.fuzz.seed", new Random().nextLong());

  /** Jobs applied before the fuzz; it names none of them. */
  static final Map<String, String> KEPT =
      Map.of(
          "nightly",
          """
          apiVersion: kairos.dev/v1
          kind: Job
          metadata: {name: nightly, namespace: kept}
          spec:
            schedule: "0 2 * * *"
            retryPolicy: {maxRetries: 2}
            task: {shell: {command: "echo kept"}}
          """,
          "on-event",
          """
          apiVersion: kairos.dev/v1
          kind: Job
          metadata: {name: on-event, namespace: kept}
          spec:
            triggers: [{event: {type: fuzz-ready}}]
            task: {empty: {}}
          """,
          "dag",
          """
          apiVersion: kairos.dev/v1
          kind: Job
          metadata: {name: dag, namespace: kept}
          spec:
            suspend: true
            tasks:
              - {name: t1, empty: {}}
              - {name: t2, dependsOn: [t1], empty: {}}
          """);

  static TestServer server;
  static ApiClient api;

  /** The credential of the fuzz's worker, w-fuzz: the worker calls are made with it. */
  static String workerCredential;

  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.sqlite();
    api = server.api();
    workerCredential = server.credential("w-fuzz", "fuzz-pool", "east");
    applyTheFuzzsJobs();
  }

  /** The fuzz's own jobs, for its job and run calls to find. */
  static void applyTheFuzzsJobs() throws Exception {
    assertThat(api.applyYaml(FuzzedRequests.JOB).status()).isEqualTo(201);
    assertThat(api.applyYaml(FuzzedRequests.DAG).status()).isEqualTo(201);
    api.call("POST", "/api/v1/jobs/fuzz/b/runs", null);
  }

  /**
   * The fuzz may change or delete its jobs, and JUnit runs the tests in no set order: each test
   * starts with them as applied (a test that ran after the fuzz found fuzz/a deleted, in CI).
   */
  @BeforeEach
  void reapplyTheFuzzsJobs() throws Exception {
    assertThat(api.applyYaml(FuzzedRequests.JOB).status()).isIn(200, 201);
    assertThat(api.applyYaml(FuzzedRequests.DAG).status()).isIn(200, 201);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /**
   * What the fuzz found, each a 500 before: a body of JSON null, a null in a list, a completion or
   * log chunk without the fields the store needs, a backfill of a fire time no run may have, a
   * worker id with a NUL (a 503 on PostgreSQL). Each is now a 4xx naming the field.
   */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "/api/v1/worker/poll      | null | body | 400",
        "/api/v1/worker/heartbeat | null | body | 400",
        "/api/v1/worker/release   | null | body | 400",
        "/api/v1/worker/complete  | null | body | 400",
        "/api/v1/worker/logs      | null | body | 400",
        "/api/v1/worker/heartbeat | {\"workerId\": \"w\", \"leases\": [{\"attemptId\": 1}, null]} | leases[1] | 400",
        "/api/v1/worker/release   | {\"workerId\": \"w\", \"leases\": [null]} | leases[0] | 400",
        "/api/v1/worker/complete  | {\"workerId\": \"w\", \"completions\": [null]} | completions[0] | 400",
        "/api/v1/worker/complete  | {\"workerId\": \"w\", \"completions\": [{\"attemptId\": 1}]}"
            + " | completions[0].outcome | 400",
        "/api/v1/worker/complete  | {\"workerId\": \"w\", \"completions\": [{\"attemptId\": 1,"
            + " \"outcome\": \"QUEUED\"}]} | completions[0].outcome | 400",
        "/api/v1/worker/logs      | {\"workerId\": \"w\", \"chunks\": [null]} | chunks[0] | 400",
        "/api/v1/worker/logs      | {\"workerId\": \"w\", \"chunks\": [{\"attemptId\": 1, \"seq\": 0}]}"
            + " | chunks[0].stream | 400",
        "/api/v1/jobs/fuzz/a/runs | null | body | 400",
        "/api/v1/runs/1/tasks/main/mark | null | state | 400",
        "/api/v1/worker/heartbeat | {\"workerId\": \"\\u0000-fuzz\", \"leases\": []} | workerId | 400",
        "/api/v1/jobs/fuzz/a/runs | {\"fireTime\": \"-1000000000-01-01T00:00:00Z\"} | fireTime | 422",
      })
  void aBodyOfTheWrongShapeIsA4xxNamingTheField(String path, String body, String field, int status)
      throws Exception {
    ApiClient.Response r = api.call("POST", path, body, "Content-Type", "application/json");
    assertThat(r.status()).as("%s %s", path, r.body()).isEqualTo(status);
    assertThat(r.body().get("errors").findValuesAsText("path")).contains(field);
  }

  /**
   * Found beside the fuzz, on PostgreSQL: a NUL in a query reached the store, which answered "not
   * reachable" (a 503).
   */
  @ParameterizedTest
  @CsvSource({
    "/api/v1/runs?job=fuzz/%00, query job",
    "/api/v1/alerts?job=%00, query job",
    "/api/v1/jobs?namespace=%00, query namespace",
    "/api/v1/audit?token=%00, query token"
  })
  void aQueryWithANulIsA400NamingIt(String path, String field) throws Exception {
    ApiClient.Response r = api.call("GET", path, null);
    assertThat(r.status()).as("%s %s", path, r.body()).isEqualTo(400);
    assertThat(r.body().get("errors").findValuesAsText("path")).containsExactly(field);
  }

  /**
   * Found by the fuzz on PostgreSQL, whose text cannot hold a NUL (a 503): a log chunk a process
   * wrote with a NUL in it. It is kept with U+FFFD in its place, on every store.
   */
  @Test
  void aNulInALogIsKeptAsAReplacementCharacter() throws Exception {
    // Its own job, in a namespace the fuzz never names: the fuzz may suspend, change or delete
    // fuzz/b before this test runs (it did in CI).
    assertThat(
            api.applyYaml(
                    """
                    apiVersion: kairos.dev/v1
                    kind: Job
                    metadata: {name: nul, namespace: logs}
                    spec:
                      placement: {pool: nul-pool}
                      task: {empty: {}}
                    """)
                .status())
        .isIn(200, 201);
    ApiClient.Response started = api.call("POST", "/api/v1/jobs/logs/nul/runs", null);
    assertThat(started.status()).as("%s", started.body()).isEqualTo(201);
    long run = started.body().get("id").asLong();
    // as the worker that claimed it: a worker may write only its own attempts' output
    ApiClient worker = server.enrolled("w-nul", "nul-pool");
    JsonNode claimed =
        worker
            .call(
                "POST",
                "/api/v1/worker/poll",
                """
                {"workerId": "w-nul", "pool": "nul-pool", "max": 1, "waitMillis": 5000,
                 "capacity": {"cpu": "1", "memory": "1Gi", "slots": 1}}\
                """)
            .body()
            .get("assignments")
            .get(0);
    String chunk =
        "{\"workerId\": \"w-nul\", \"chunks\": [{\"attemptId\": %d, \"fence\": %d, \"seq\": 99,"
            + " \"stream\": \"stderr\", \"timestampMillis\": 0, \"text\": \"a\\u0000b\"}]}";
    assertThat(
            worker
                .call(
                    "POST",
                    "/api/v1/worker/logs",
                    chunk.formatted(
                        claimed.get("attemptId").asLong(), claimed.get("fence").asLong()))
                .status())
        .isEqualTo(204);
    assertThat(api.get("/api/v1/runs/" + run + "/logs").get("items").findValuesAsText("text"))
        .contains("a\uFFFDb");
  }

  @Test
  void noFuzzedRequestGetsA5xxOrChangesAJobItDoesNotName() throws Exception {
    System.out.printf(
        "ApiFuzzTest: %d requests, seed %d (replay with -Dkairos.fuzz.seed=%d)%n",
        REQUESTS, SEED, SEED);
    Map<String, JsonNode> before = new LinkedHashMap<>();
    for (Map.Entry<String, String> job : KEPT.entrySet()) {
      assertThat(api.applyYaml(job.getValue()).status()).isEqualTo(201);
      // runs, attempts and logs for the fuzz's run and worker calls to find
      api.call("POST", "/api/v1/jobs/kept/" + job.getKey() + "/runs", null);
      before.put(job.getKey(), stored(api, job.getKey()));
    }
    List<String> faults = fuzz();
    assertThat(faults).as("requests answered with a 5xx or not at all").isEmpty();
    for (String name : KEPT.keySet()) {
      assertThat(stored(api, name)).as("kept/%s after the fuzz", name).isEqualTo(before.get(name));
    }
    assertThat(api.get("/api/v1/jobs?namespace=kept").get("items")).hasSize(KEPT.size());
  }

  /** Sends the requests; returns each fault found (at most one per endpoint and status). */
  List<String> fuzz() throws Exception {
    Random random = new Random(SEED);
    Map<String, String> faults = new LinkedHashMap<>();
    Map<String, Map<Integer, Integer>> statuses = new TreeMap<>();
    List<FuzzedRequests.Request> all = generate(random);
    for (int i = 0; i < all.size(); i++) {
      FuzzedRequests.Request r = all.get(i);
      Answer answer = send(r);
      String fault = answer == null ? null : answer.fault();
      if (answer != null) {
        statuses
            .computeIfAbsent(r.method() + " " + endpoint(r.path()), k -> new TreeMap<>())
            .merge(answer.status(), 1, Integer::sum);
      }
      if (fault != null) {
        faults.putIfAbsent(
            r.method() + " " + endpoint(r.path()) + " " + fault.substring(0, 3),
            "request " + i + ": " + r + "\n  -> " + fault);
      }
      if (i % 100 == 0) {
        assertThat(health()).as("GET /healthz after request %d", i).isEqualTo(200);
      }
    }
    assertThat(health()).as("GET /healthz after the fuzz").isEqualTo(200);
    statuses.forEach((endpoint, counts) -> System.out.printf("  %s %s%n", endpoint, counts));
    return new ArrayList<>(faults.values());
  }

  /** The endpoint a path goes to, e.g. {@code /api/v1/runs/{id}/cancel}. */
  static String endpoint(String path) {
    return path.replaceAll("\\?.*", "")
        .replaceAll("^/api/v1/jobs/[^/]*/[^/]*", "/api/v1/jobs/{ns}/{name}")
        .replaceAll("^/api/v1/runs/[^/]*", "/api/v1/runs/{id}")
        .replaceAll("/tasks/[^/]*/", "/tasks/{task}/")
        .replaceAll("^/api/v1/pools/.*", "/api/v1/pools/{pool}");
  }

  /** The requests, generated up front: jqwik's generators run within a session of their own. */
  static List<FuzzedRequests.Request> generate(Random random) {
    List<FuzzedRequests.Request> all = new ArrayList<>();
    JqwikSession.start();
    try {
      FuzzedRequests requests = new FuzzedRequests();
      for (int i = 0; i < REQUESTS; i++) {
        all.add(requests.next(random));
      }
    } finally {
      JqwikSession.finish();
    }
    return all;
  }

  /** A status and body; status 0 when there was no answer in time. */
  record Answer(int status, String body) {
    /** What is wrong with it, or null. */
    String fault() {
      if (status == 0) {
        return "no answer within 30 s";
      }
      return status >= 500 ? status + " " + body : null;
    }
  }

  /** The answer to {@code r}; null when the client itself refuses to send it. */
  Answer send(FuzzedRequests.Request r) throws Exception {
    HttpRequest.Builder b;
    try {
      b =
          HttpRequest.newBuilder(URI.create(server.url() + r.path()))
              .timeout(Duration.ofSeconds(30))
              .method(r.method(), HttpRequest.BodyPublishers.ofByteArray(r.body()))
              .header(
                  "Authorization",
                  "Bearer "
                      + (r.path().startsWith("/api/v1/worker/")
                          ? workerCredential
                          : server.token()));
      if (r.contentType() != null) {
        b.header("Content-Type", r.contentType());
      }
      r.headers().forEach(b::header);
    } catch (IllegalArgumentException e) {
      // a path or header the client refuses to send (a control character): nothing reaches the
      // server
      return null;
    }
    try {
      HttpResponse<String> response = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Answer(response.statusCode(), response.body());
    } catch (HttpTimeoutException e) {
      return new Answer(0, null);
    }
  }

  int health() throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create(server.url() + "/healthz")).build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  /** What must not change: a kept job's version, spec and state. */
  static JsonNode stored(ApiClient api, String name) throws Exception {
    JsonNode job = api.get("/api/v1/jobs/kept/" + name).deepCopy();
    ((com.fasterxml.jackson.databind.node.ObjectNode) job).remove(List.of("lastRun", "nextFireAt"));
    return job;
  }
}
