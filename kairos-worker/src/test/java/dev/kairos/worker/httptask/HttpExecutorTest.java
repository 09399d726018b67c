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
          signature.set(ex.getRequestHeaders().getFirst("X-Kairos-Signature"));
          int status = Integer.parseInt(ex.getRequestURI().getPath().substring(1));
          byte[] answer = "{\"rows\": 7, \"nested\": {\"x\": 1}}".getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(status, answer.length);
          ex.getResponseBody().write(answer);
          ex.close();
        });
    fn.start();
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
}
