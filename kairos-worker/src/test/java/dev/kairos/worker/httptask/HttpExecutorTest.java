package dev.kairos.worker.httptask;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.kairos.core.protocol.Assignment;
import dev.kairos.core.protocol.LogChunk;
import dev.kairos.core.spec.HttpSpec;
import dev.kairos.core.spec.Resources;
import dev.kairos.core.spec.RetryPolicy;
import dev.kairos.core.spec.SecretEnv;
import dev.kairos.core.spec.TaskSpec;
import dev.kairos.worker.executor.ExecutionContext;
import dev.kairos.worker.executor.LogBuffer;
import dev.kairos.worker.executor.Outcome;
import dev.kairos.worker.shell.TaskEnvironment;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpExecutorTest {
  @TempDir Path work;
  HttpServer fn;
  final AtomicReference<String> signature = new AtomicReference<>();
  final AtomicReference<String> body = new AtomicReference<>();
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-29T12:00:00Z"), ZoneOffset.UTC);

  @BeforeEach
  void start() throws Exception {
    fn = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    fn.createContext(
        "/",
        ex -> {
          body.set(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          if (answerBig(ex)) {
            return;
          }
          signature.set(ex.getRequestHeaders().getFirst("X-Kairos-Signature"));
          int status = Integer.parseInt(ex.getRequestURI().getPath().substring(1));
          byte[] answer = "{\"rows\": 7, \"nested\": {\"x\": 1}}".getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(status, answer.length);
          ex.getResponseBody().write(answer);
          ex.close();
        });
    fn.createContext("/echo", this::echo);
    fn.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
    fn.start();
  }

  final java.util.concurrent.atomic.AtomicLong served =
      new java.util.concurrent.atomic.AtomicLong();

  /**
   * {@code /big/N}: N bytes of a JSON object, sent in pieces without a length; {@code /sized/N}:
   * the same with its Content-Length; {@code /stall}: a little, then nothing for 30 s.
   */
  boolean answerBig(com.sun.net.httpserver.HttpExchange ex) throws java.io.IOException {
    String path = ex.getRequestURI().getPath();
    if (path.startsWith("/stall")) {
      ex.sendResponseHeaders(200, 0);
      ex.getResponseBody().write("{\"a\": ".getBytes(StandardCharsets.UTF_8));
      ex.getResponseBody().flush();
      try {
        Thread.sleep(30_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      ex.close();
      return true;
    }
    if (!path.startsWith("/big/") && !path.startsWith("/sized/")) {
      return false;
    }
    long n = Long.parseLong(path.substring(path.lastIndexOf('/') + 1));
    ex.sendResponseHeaders(200, path.startsWith("/sized/") ? n : 0);
    byte[] piece = new byte[64 * 1024];
    java.util.Arrays.fill(piece, (byte) ' ');
    try (var out = ex.getResponseBody()) {
      out.write('{');
      long sent = 1;
      while (sent < n - 1) {
        int k = (int) Math.min(piece.length, n - 1 - sent);
        out.write(piece, 0, k);
        sent += k;
        served.set(sent);
      }
      out.write('}');
    } catch (java.io.IOException e) {
      // the worker stopped reading and closed the connection
    }
    return true;
  }

  Outcome get(String path, long maxResponseBytes, Duration timeout) throws Exception {
    HttpSpec spec =
        new HttpSpec(
            "http://127.0.0.1:" + fn.getAddress().getPort() + path,
            "GET",
            Map.of(),
            null,
            timeout,
            List.of(),
            false,
            maxResponseBytes);
    TaskSpec task =
        new TaskSpec("call", List.of(), spec, RetryPolicy.NONE, null, 0, Resources.NONE);
    Assignment a =
        new Assignment(1, 2, "default", "job", 1, task, "default/job/2/call", Instant.now(), 0);
    return new HttpExecutor(null, CLOCK)
        .execute(a, new ExecutionContext(Map.of(), new LogBuffer(1, 1 << 20, c -> {}), work));
  }

  @Test
  void anAnswerPastMaxResponseBytesIsReadNoFurtherAndFailsTheTaskForGood() throws Exception {
    // without a length: read up to the cap, then the connection is dropped
    Outcome o = get("/big/200000000", 1 << 20, Duration.ofSeconds(30));
    assertThat(o)
        .isEqualTo(
            new Outcome.Rejected(
                200,
                "the answer is more than 1Mi (1048576 bytes), its http.maxResponseBytes; it was"
                    + " not read further"));
    assertThat(served.get()).isLessThan(50_000_000);
    // with a length past the cap: not read at all
    assertThat(get("/sized/5000000", 1 << 20, Duration.ofSeconds(30)))
        .isEqualTo(
            new Outcome.Rejected(
                200,
                "the answer is 5000000 bytes, more than 1Mi (1048576 bytes), its"
                    + " http.maxResponseBytes; it was not read"));
  }

  @Test
  void anAnswerOfExactlyTheCapIsRead() throws Exception {
    assertThat(get("/big/3000000", 3_000_000, Duration.ofSeconds(30)))
        .isEqualTo(new Outcome.Succeeded());
    assertThat(get("/sized/3000000", 3_000_000, Duration.ofSeconds(30)))
        .isEqualTo(new Outcome.Succeeded());
    assertThat(get("/big/3000001", 3_000_000, Duration.ofSeconds(30)))
        .isInstanceOf(Outcome.Rejected.class);
  }

  @Test
  void anAnswerThatStallsAfterItsHeadersTimesOut() throws Exception {
    long start = System.nanoTime();
    Outcome o = get("/stall", 1 << 20, Duration.ofMillis(500));
    assertThat(o).isEqualTo(new Outcome.TimedOut("no answer within 500ms"));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
  }

  @AfterEach
  void stop() {
    fn.stop(0);
  }

  Outcome call(int status, boolean sign, HttpExecutor executor) throws Exception {
    HttpSpec spec =
        new HttpSpec(
            "http://127.0.0.1:" + fn.getAddress().getPort() + "/" + status,
            "POST",
            Map.of(),
            "{\"table\": \"${param.table}\"}",
            Duration.ofSeconds(5),
            List.of(),
            sign);
    TaskSpec task =
        new TaskSpec("call", List.of(), spec, RetryPolicy.NONE, null, 0, Resources.NONE);
    Assignment a =
        new Assignment(1, 2, "default", "job", 1, task, "default/job/2/call", Instant.now(), 0)
            .withEvent(
                "{\"type\": \"t\", \"source\": \"s\", \"id\": \"1\","
                    + " \"data\": {\"table\": \"or\\\"ders\"}}");
    return executor.execute(
        a, new ExecutionContext(Map.of(), new LogBuffer(1, 1 << 20, c -> {}), work));
  }

  @Test
  void aSuccessPublishesTheAnswersScalarsAndTheBodyIsEscaped() throws Exception {
    Outcome o = call(200, false, new HttpExecutor(null, CLOCK));
    assertThat(o).isEqualTo(new Outcome.Succeeded(Map.of("rows", "7")));
    assertThat(body.get()).isEqualTo("{\"table\": \"or\\\"ders\"}");
    assertThat(signature.get()).isNull();
  }

  @Test
  void aServerErrorIsRetriedAndAClientErrorIsNot() throws Exception {
    HttpExecutor executor = new HttpExecutor(null, CLOCK);
    assertThat(call(503, false, executor)).isInstanceOf(Outcome.Failed.class);
    assertThat(call(404, false, executor)).isInstanceOf(Outcome.Rejected.class);
    assertThat(call(200, true, executor))
        .isEqualTo(
            new Outcome.Rejected(
                null, "sign: true, but this worker has no signing key (KAIROS_HTTP_SIGNING_KEY)"));
  }

  @Test
  void aSignedRequestCarriesTheHmacOfTimestampAndBody() throws Exception {
    byte[] key = "a-key-of-the-cluster".getBytes(StandardCharsets.UTF_8);
    call(200, true, new HttpExecutor(key, CLOCK));
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    String expected =
        HexFormat.of()
            .formatHex(
                mac.doFinal(
                    (CLOCK.instant().getEpochSecond() + "." + body.get())
                        .getBytes(StandardCharsets.UTF_8)));
    assertThat(signature.get()).isEqualTo("sha256=" + expected);
  }

  @Test
  void theLogShowsTheUrlWithoutCredentialsOrQuery() {
    assertThat(HttpExecutor.shown("https://ci:s3cr3t@hooks.example:8443/deploy?token=abc&x=1"))
        .isEqualTo("https://hooks.example:8443/deploy?…");
    assertThat(HttpExecutor.shown("http://127.0.0.1/x")).isEqualTo("http://127.0.0.1/x");
  }

  // ---- secret headers ------------------------------------------------------------------------

  final Map<String, String> received = new java.util.concurrent.ConcurrentHashMap<>();
  final List<LogChunk> chunks = new CopyOnWriteArrayList<>();
  final LogBuffer logged = new LogBuffer(1, 1 << 20, chunks::add);

  static final String INLINE = "Bearer inline-s3cr3t-1";
  static final String FROM_FILE = "key-from-file-s3cr3t-2";
  static final String FROM_ENV = "deploy-token-s3cr3t-3";

  /** A worker that passes DEPLOY_TOKEN to its tasks (and has a token of its own it does not). */
  static final TaskEnvironment PASSING =
      TaskEnvironment.of(
          Map.of("DEPLOY_TOKEN", FROM_ENV, "KAIROS_WORKER_TOKEN", "worker-token-4"),
          Set.of("DEPLOY_TOKEN"));

  /** {@code /echo}: answers a JSON object of the secret headers it got, as such services do. */
  void echo(com.sun.net.httpserver.HttpExchange ex) throws java.io.IOException {
    ex.getRequestBody().readAllBytes();
    signature.set(ex.getRequestHeaders().getFirst("X-Kairos-Signature"));
    Map<String, String> got = new java.util.TreeMap<>();
    for (String name : List.of("Authorization", "X-Api-Key", "X-Token", "X-Team")) {
      String value = ex.getRequestHeaders().getFirst(name);
      if (value != null) {
        received.put(name, value);
        // named as outputs may be
        got.put(name.replace("-", "_"), value);
      }
    }
    got.put(
        "authorizationBase64",
        java.util.Base64.getEncoder()
            .encodeToString(
                got.getOrDefault("Authorization", "").getBytes(StandardCharsets.UTF_8)));
    byte[] answer = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsBytes(got);
    ex.sendResponseHeaders(200, answer.length);
    ex.getResponseBody().write(answer);
    ex.close();
  }

  Outcome echoed(Map<String, SecretEnv> secretHeaders, HttpExecutor executor) throws Exception {
    HttpSpec spec =
        new HttpSpec(
            "http://127.0.0.1:" + fn.getAddress().getPort() + "/echo",
            "POST",
            Map.of("X-Team", "data"),
            "{\"run\": ${run.id}}",
            Duration.ofSeconds(5),
            List.of(),
            true,
            HttpSpec.DEFAULT_MAX_RESPONSE_BYTES,
            secretHeaders);
    TaskSpec task =
        new TaskSpec("call", List.of(), spec, RetryPolicy.NONE, null, 0, Resources.NONE);
    Assignment a =
        new Assignment(1, 2, "default", "job", 1, task, "default/job/2/call", Instant.now(), 0);
    return executor.execute(a, new ExecutionContext(Map.of(), logged, work));
  }

  /** What the attempt logged, as the worker sends it when the attempt ends. */
  String log() {
    logged.flush();
    return chunks.stream().map(LogChunk::text).collect(Collectors.joining());
  }

  static final byte[] KEY = "a-key-of-the-cluster".getBytes(StandardCharsets.UTF_8);

  Map<String, SecretEnv> fromEachSource() throws Exception {
    Path file = work.resolve("api-key");
    Files.writeString(file, FROM_FILE + "\n");
    return Map.of(
        "Authorization", new SecretEnv(INLINE, null, null),
        "X-Api-Key", new SecretEnv(null, file.toString(), null),
        "X-Token", new SecretEnv(null, null, "DEPLOY_TOKEN"));
  }

  @Test
  void secretHeadersAreSentResolvedFromEachSourceAndTheSignatureStaysTheBodys() throws Exception {
    Outcome o = echoed(fromEachSource(), new HttpExecutor(KEY, CLOCK, PASSING));

    assertThat(o).isInstanceOf(Outcome.Succeeded.class);
    assertThat(received)
        .isEqualTo(
            Map.of(
                "Authorization", INLINE,
                "X-Api-Key", FROM_FILE,
                "X-Token", FROM_ENV,
                "X-Team", "data"));
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(KEY, "HmacSHA256"));
    String expected =
        HexFormat.of()
            .formatHex(
                mac.doFinal(
                    (CLOCK.instant().getEpochSecond() + ".{\"run\": 2}")
                        .getBytes(StandardCharsets.UTF_8)));
    assertThat(signature.get()).isEqualTo("sha256=" + expected);
  }

  @Test
  void aServiceEchoingSecretHeadersLeavesOnlyTheMaskInTheLogAndOutputs() throws Exception {
    Outcome o = echoed(fromEachSource(), new HttpExecutor(KEY, CLOCK, PASSING));

    String log = log();
    assertThat(log)
        .startsWith("HTTP 200 POST http://127.0.0.1:")
        .contains("\"Authorization\":\"***\"")
        .contains("\"X_Api_Key\":\"***\"")
        .contains("\"X_Token\":\"***\"")
        .contains("\"authorizationBase64\":\"***\"")
        .contains("\"X_Team\":\"data\"")
        .doesNotContain("s3cr3t")
        .doesNotContain(
            java.util.Base64.getEncoder().encodeToString(INLINE.getBytes(StandardCharsets.UTF_8)));
    assertThat(((Outcome.Succeeded) o).outputs())
        .containsEntry("Authorization", "***")
        .containsEntry("X_Api_Key", "***")
        .containsEntry("X_Token", "***")
        .containsEntry("authorizationBase64", "***")
        .containsEntry("X_Team", "data");
  }

  @Test
  void aSecretHeaderWithALineBreakFailsTheAttemptNamingTheHeaderNotTheValue() throws Exception {
    // read from a file on the worker, a line break would add a header of the file's choosing
    Path file = work.resolve("crlf");
    Files.writeString(file, "token-s3cr3t\r\nX-Admin: yes\n");

    Outcome o =
        echoed(
            Map.of("X-Api-Key", new SecretEnv(null, file.toString(), null)),
            new HttpExecutor(KEY, CLOCK, PASSING));

    assertThat(o)
        .isEqualTo(
            new Outcome.Failed(
                null,
                "secret header X-Api-Key: its value holds a line break (CR or LF), which no HTTP"
                    + " header value can hold"));
    assertThat(received).isEmpty();
    assertThat(log()).isEmpty();
  }

  @Test
  void aSecretHeaderTheWorkerCannotResolveFailsTheAttemptNamingIt() throws Exception {
    HttpExecutor passingNothing =
        new HttpExecutor(
            KEY, CLOCK, TaskEnvironment.of(Map.of("DEPLOY_TOKEN", FROM_ENV), Set.of()));

    assertThat(echoed(Map.of("X-Token", new SecretEnv(null, null, "DEPLOY_TOKEN")), passingNothing))
        .isEqualTo(
            new Outcome.Failed(
                null,
                "secret header X-Token: this worker does not pass the environment variable"
                    + " DEPLOY_TOKEN to tasks (it must have it and be started with --pass-env"
                    + " DEPLOY_TOKEN)"));
    assertThat(
            echoed(
                Map.of("X-Api-Key", new SecretEnv(null, "/nonexistent/token", null)),
                passingNothing))
        .isEqualTo(
            new Outcome.Failed(
                null,
                "secret header X-Api-Key: cannot read /nonexistent/token on this worker"
                    + " (NoSuchFileException)"));
    assertThat(received).isEmpty();
  }
}
