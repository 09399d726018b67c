package dev.kairos.worker.httptask;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.kairos.core.protocol.Assignment;
import dev.kairos.core.spec.HttpSpec;
import dev.kairos.core.spec.Resources;
import dev.kairos.core.spec.RetryPolicy;
import dev.kairos.core.spec.TaskSpec;
import dev.kairos.worker.executor.ExecutionContext;
import dev.kairos.worker.executor.LogBuffer;
import dev.kairos.worker.executor.Outcome;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
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
}
