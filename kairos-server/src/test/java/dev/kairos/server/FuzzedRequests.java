package dev.kairos.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.kairos.core.fuzz.Mutations;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.RandomGenerator;
import net.jqwik.api.Tuple;

/**
 * Requests to every write endpoint of the API, with bodies that are valid examples edited (as text
 * and as JSON trees), random text, values of the wrong type or size, empty, or large (up to ~200
 * KB), under wrong content types and with odd headers and path segments. Every job they name is in
 * the namespace {@link #NAMESPACE}, so that nothing they do can rightly change a job elsewhere.
 */
final class FuzzedRequests {
  static final String NAMESPACE = "fuzz";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** One request: what the fuzz sends. */
  record Request(
      String method, String path, String contentType, byte[] body, Map<String, String> headers) {
    String bodyText() {
      return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
      String text = bodyText();
      return method
          + " "
          + path
          + " content-type="
          + contentType
          + " headers="
          + headers
          + " body("
          + body.length
          + " bytes)="
          + (text.length() > 600 ? text.substring(0, 600) + "…" : text);
    }
  }

  static final String JOB =
      """
      apiVersion: kairos.dev/v1
      kind: Job
      metadata: {name: a, namespace: fuzz, labels: {team: data}}
      spec:
        schedule: "0 2 * * *"
        timeZone: Europe/Berlin
        concurrencyPolicy: Forbid
        startingDeadlineSeconds: 300
        maxActiveRuns: 3
        retryPolicy: {maxRetries: 3, initialInterval: 10s, maxInterval: 5m, backoffMultiplier: 2.0, jitter: 0.2}
        timeout: 30m
        priority: 1000
        resources: {requests: {cpu: 500m, memory: 1Gi}, limits: {cpu: "1", memory: 2Gi}}
        placement: {pool: fuzz-pool, clusters: [{name: east, weight: 60}], labels: {zone: a}}
        triggers: [{event: {type: fuzz-ready, filter: "data.rows > 1000 && source startsWith 's3://'"}}]
        alerts: {sla: 30m, webhooks: [{url: "http://127.0.0.1:9/hook", on: [runFailed]}]}
        deadline: "06:00"
        sizeParam: rows
        task:
          shell: {command: "echo hi", env: {MODE: full, PASS: {secret: true, value: s3cr3t}}}
      """;

  static final String DAG =
      """
      apiVersion: kairos.dev/v1
      kind: Job
      metadata: {name: b, namespace: fuzz}
      spec:
        suspend: true
        tasks:
          - {name: t1, empty: {}}
          - {name: t2, dependsOn: [t1], triggerRule: allDone, http: {url: "http://127.0.0.1:9/x", expectedStatus: [200]}}
          - {name: t3, dependsOn: [t1, t2], java: {handler: a.b}, timeout: 1s}
      """;

  static final String EVENT =
      """
      {"type": "fuzz-ready", "source": "s3://lake/x", "id": "e-1", "data": {"rows": 1500, "t": "x"}}
      """;

  static final String POLL =
      """
      {"workerId": "w-fuzz", "pool": "fuzz-pool", "cluster": "east", "labels": {"zone": "a"},
       "capacity": {"cpu": "2", "memory": "4Gi", "slots": 4}, "free": {"cpu": "1", "memory": "1Gi"},
       "max": 2, "waitMillis": 0}
      """;

  static final String HEARTBEAT =
      "{\"workerId\": \"w-fuzz\", \"leases\": [{\"attemptId\": 1, \"fence\": 1}, {\"attemptId\": 2, \"fence\": 1}]}";

  static final String COMPLETE =
      """
      {"workerId": "w-fuzz", "completions": [{"attemptId": 1, "outcome": "SUCCEEDED", "exitCode": 0,
       "error": null, "outputs": {"rows": "5"}, "permanent": false}]}
      """;

  static final String LOGS =
      """
      {"workerId": "w-fuzz", "chunks": [{"attemptId": 1, "seq": 0, "stream": "stdout",
       "timestampMillis": 1700000000000, "text": "hello"}]}
      """;

  static final String POOL =
      "{\"maxRunning\": 5, \"priorityAging\": \"1s\", \"order\": \"shortest-predicted-first\","
          + " \"orderWindow\": \"500ms\"}";

  private final RandomGenerator<Request> generator;

  FuzzedRequests() {
    this.generator = requests().generator(1_000, true);
  }

  Request next(Random random) {
    return generator.next(random).value();
  }

  // ---- bodies ---------------------------------------------------------------------------------

  /** {@code valid}, edited as text or as a tree, or something else entirely. */
  static Arbitrary<String> body(String valid) {
    JsonNode tree = tree(valid);
    Arbitrary<String> editedTree =
        Mutations.editedTrees(Arbitraries.just(tree)).map(Mutations::text);
    return Arbitraries.frequencyOf(
        Tuple.of(2, Arbitraries.just(valid)),
        Tuple.of(6, Mutations.edited(Arbitraries.just(valid))),
        Tuple.of(6, editedTree),
        Tuple.of(1, Mutations.nastyText()),
        Tuple.of(1, Arbitraries.of("", "null", "[]", "{}", "\"x\"", "0", "true")),
        Tuple.of(1, large(valid)));
  }

  /** A body of 50 to 200 KB: a long value inside the valid one, or a long run of anything. */
  static Arbitrary<String> large(String valid) {
    Arbitrary<Integer> size = Arbitraries.integers().between(50_000, 200_000);
    Arbitrary<String> filler = Arbitraries.of("a", "9", "[", "{\"a\":", "\u00e9", " ", "\\u0000");
    return Arbitraries.oneOf(
        Combinators.combine(size, filler).as((n, f) -> f.repeat(n / f.length())),
        Combinators.combine(size, Arbitraries.integers().between(0, 10_000))
            .as((n, at) -> new Mutations.Insert(at, "x".repeat(n)).apply(valid)),
        size.map(n -> {
          JsonNode t = tree(valid);
          if (t instanceof ObjectNode o) {
            o.put("padding", "p".repeat(n));
          }
          return t.toString();
        }));
  }

  static JsonNode tree(String text) {
    try {
      return YAML.readTree(text);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static String yaml(String json) {
    try {
      return YAML.writeValueAsString(JSON.readTree(json));
    } catch (Exception e) {
      return json;
    }
  }

  /** A path segment: a name of the fuzz's own, or anything, encoded. */
  static Arbitrary<String> segment(String... names) {
    return Arbitraries.frequencyOf(
        Tuple.of(4, Arbitraries.of(names)),
        Tuple.of(1, Mutations.nastyText().map(FuzzedRequests::encode)),
        Tuple.of(1, Arbitraries.of("%00", "%2F", "..", "%", "%zz", "a%20b", "9".repeat(30))));
  }

  static String encode(String s) {
    return URLEncoder.encode(s.length() > 300 ? s.substring(0, 300) : s, StandardCharsets.UTF_8)
        .replace("+", "%20");
  }

  static Arbitrary<String> jsonType() {
    return Arbitraries.of(
        "application/json",
        "application/json",
        "application/json; charset=utf-8",
        "application/yaml",
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "application/json; charset=utf-16",
        "",
        "\u00e9/\u00e9");
  }

  // ---- requests per endpoint ------------------------------------------------------------------

  static Arbitrary<Request> requests() {
    return Arbitraries.frequencyOf(
        Tuple.of(6, applyJob()),
        Tuple.of(3, jobAction()),
        Tuple.of(2, runAction()),
        Tuple.of(3, event()),
        Tuple.of(1, pool()),
        Tuple.of(2, worker("poll", POLL)),
        Tuple.of(1, worker("heartbeat", HEARTBEAT)),
        Tuple.of(1, worker("release", HEARTBEAT)),
        Tuple.of(2, worker("complete", COMPLETE)),
        Tuple.of(1, worker("logs", LOGS)),
        Tuple.of(1, manyAttemptIds()));
  }

  static Arbitrary<Request> applyJob() {
    Arbitrary<String> yaml = Arbitraries.oneOf(body(JOB), body(DAG));
    Arbitrary<Request> asYaml =
        Combinators.combine(
                yaml,
                Arbitraries.of(
                    "application/yaml", "application/x-yaml", "text/yaml; charset=utf-8"))
            .as((b, t) -> request("PUT", "/api/v1/jobs", t, b, Map.of()));
    Arbitrary<String> json =
        Arbitraries.oneOf(
            body(tree(JOB).toString()),
            body(tree(DAG).toString()),
            body(JOB).map(FuzzedRequests::yaml));
    Arbitrary<Request> asJson =
        Combinators.combine(json, jsonType())
            .as((b, t) -> request("PUT", "/api/v1/jobs", t, b, Map.of()));
    return Arbitraries.oneOf(asYaml, asJson);
  }

  static Arbitrary<Request> jobAction() {
    Arbitrary<String> trigger =
        Arbitraries.frequencyOf(
            Tuple.of(2, Arbitraries.just("")),
            Tuple.of(3, body("{\"fireTime\": \"2026-01-01T02:00:00Z\"}")),
            Tuple.of(
                2,
                Arbitraries.of(
                        "+1000000000-12-31T23:59:59Z",
                        "-1000000000-01-01T00:00:00Z",
                        "1970-01-01T00:00:00Z",
                        "9999-12-31T23:59:59.999999999Z",
                        "2026-02-30T00:00:00Z",
                        "2026-01-01T02:00:00+01:00")
                    .map(t -> "{\"fireTime\": \"" + t + "\"}")));
    Arbitrary<Map<String, String>> headers =
        Arbitraries.oneOf(
            Arbitraries.just(Map.of()),
            Mutations.nastyText().map(k -> Map.of("Idempotency-Key", k)),
            Arbitraries.just(Map.of("Idempotency-Key", "k".repeat(201))));
    Arbitrary<Request> post =
        Combinators.combine(
                segment(NAMESPACE),
                segment("a", "b", "c"),
                Arbitraries.of("suspend", "resume", "runs", "runs", "versions"),
                trigger,
                headers)
            .as((ns, name, action, body, h) ->
                request(
                    "POST",
                    "/api/v1/jobs/" + ns + "/" + name + "/" + action,
                    "application/json",
                    body,
                    h));
    Arbitrary<Request> delete =
        Combinators.combine(segment(NAMESPACE), segment("a", "b", "c"))
            .as((ns, name) ->
                request("DELETE", "/api/v1/jobs/" + ns + "/" + name, null, "", Map.of()));
    return Arbitraries.frequencyOf(Tuple.of(5, post), Tuple.of(1, delete));
  }

  static Arbitrary<Request> runAction() {
    Arbitrary<String> id =
        Arbitraries.oneOf(
            Arbitraries.integers().between(1, 60).map(String::valueOf),
            segment("0", "-1", "9223372036854775807", "9223372036854775808", "1e3", "abc"));
    Arbitrary<String> action =
        Arbitraries.oneOf(
            Arbitraries.of("cancel", "retry"),
            Combinators.combine(
                    segment("t1", "t2", "main"),
                    Arbitraries.of("rerun", "rerun?downstream=false", "rerun?downstream=x", "mark"))
                .as((task, what) -> "tasks/" + task + "/" + what));
    return Combinators.combine(id, action, body("{\"state\": \"SKIPPED\"}"), jsonType())
        .as((i, a, b, t) -> request("POST", "/api/v1/runs/" + i + "/" + a, t, b, Map.of()));
  }

  static Arbitrary<Request> event() {
    Arbitrary<Request> structured =
        Combinators.combine(body(EVENT), jsonType())
            .as((b, t) -> request("POST", "/api/v1/events", t, b, Map.of()));
    Arbitrary<String> value =
        Arbitraries.oneOf(
            Arbitraries.of("fuzz-ready", "s3://lake/y", "e-2"), Mutations.nastyText());
    Arbitrary<Request> binary =
        Combinators.combine(body("{\"rows\": 5}"), jsonType(), value, value, value)
            .as((b, t, type, source, id) -> {
              Map<String, String> h = new LinkedHashMap<>();
              h.put("ce-type", type);
              h.put("ce-source", source);
              h.put("ce-id", id);
              return request("POST", "/api/v1/events", t, b, h);
            });
    return Arbitraries.oneOf(structured, binary);
  }

  static Arbitrary<Request> pool() {
    return Combinators.combine(segment("fuzz-pool", "other"), body(POOL), jsonType())
        .as((p, b, t) -> request("PUT", "/api/v1/pools/" + p, t, b, Map.of()));
  }

  static Arbitrary<Request> worker(String call, String valid) {
    return Combinators.combine(body(valid), jsonType())
        .as((b, t) ->
            request(
                "POST",
                "/api/v1/worker/" + call,
                t,
                call.equals("poll") ? noWait(b) : b,
                Map.of()));
  }

  /** A heartbeat or release of tens of thousands of attempts (up to ~200 KB). */
  static Arbitrary<Request> manyAttemptIds() {
    return Combinators.combine(
            Arbitraries.of("heartbeat", "release"), Arbitraries.integers().between(1_000, 40_000))
        .as((call, n) -> {
          StringBuilder ids = new StringBuilder();
          for (int i = 1; i <= n; i++) {
            ids.append(i == 1 ? "" : ",")
                .append("{\"attemptId\":")
                .append(i)
                .append(",\"fence\":1}");
          }
          return request(
              "POST",
              "/api/v1/worker/" + call,
              "application/json",
              "{\"workerId\": \"w-fuzz\", \"leases\": [" + ids + "]}",
              Map.of());
        });
  }

  /**
   * A poll that would wait is a correct long poll, not a fault: a body that reads as an object has
   * its {@code waitMillis} set to 0 when it holds anything a number can be read from.
   */
  static String noWait(String body) {
    JsonNode node;
    try {
      node = JSON.readTree(body);
    } catch (Exception e) {
      return body;
    }
    if (node instanceof ObjectNode o && o.has("waitMillis")) {
      JsonNode w = o.get("waitMillis");
      if (w.isValueNode() && !w.isNull()) {
        o.put("waitMillis", 0);
      }
      return o.toString();
    }
    return body;
  }

  static Request request(
      String method, String path, String contentType, String body, Map<String, String> headers) {
    return new Request(method, path, contentType, body.getBytes(StandardCharsets.UTF_8), headers);
  }

  static List<String> endpoints() {
    return List.of(
        "PUT /api/v1/jobs",
        "POST /api/v1/jobs/{ns}/{name}/suspend|resume|runs",
        "DELETE /api/v1/jobs/{ns}/{name}",
        "POST /api/v1/runs/{id}/cancel|retry|tasks/{task}/rerun|tasks/{task}/mark",
        "POST /api/v1/events",
        "PUT /api/v1/pools/{pool}",
        "POST /api/v1/worker/poll|heartbeat|release|complete|logs");
  }
}
