package dev.kairos.worker.httptask;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kairos.core.protocol.Assignment;
import dev.kairos.core.protocol.RequestSignature;
import dev.kairos.core.protocol.TaskOutputs;
import dev.kairos.core.spec.Durations;
import dev.kairos.core.spec.HttpSpec;
import dev.kairos.core.spec.Quantities;
import dev.kairos.core.time.Saturating;
import dev.kairos.worker.EventEnv;
import dev.kairos.worker.executor.ExecutionContext;
import dev.kairos.worker.executor.Executor;
import dev.kairos.worker.executor.LogBuffer;
import dev.kairos.worker.executor.Outcome;
import dev.kairos.worker.secrets.Secrets;
import dev.kairos.worker.shell.TaskEnvironment;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * The {@code http} executor: one request per attempt (see {@link HttpSpec}). Signed requests carry
 * {@code X-Kairos-Timestamp} and {@code X-Kairos-Signature: sha256=HEX(HMAC-SHA256(key, timestamp +
 * "." + body))} with the worker's key ({@code KAIROS_HTTP_SIGNING_KEY}), and every request carries
 * the attempt's idempotency key as {@code Idempotency-Key}, so a function can ignore a retry of a
 * call it already served. Secret headers are resolved when the attempt starts, as a shell task's
 * secret variables are, and their values masked in what the attempt logs and publishes: a service
 * that echoes a request's headers back must not put them in the run's log.
 */
public final class HttpExecutor implements Executor {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * The most of an answer held in memory (the first bytes; the rest up to {@code maxResponseBytes}
   * is read and dropped), and the largest answer whose JSON becomes outputs.
   */
  private static final int MAX_ANSWER = 1_000_000;

  private final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(10))
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();
  private final byte[] signingKey;
  private final Clock clock;
  private final TaskEnvironment environment;

  /**
   * @param signingKey the key of {@code sign: true} requests; null when the worker has none
   * @param environment what of the worker's environment a task sees: a secret header's {@code
   *     fromEnv} may name only such a variable
   */
  public HttpExecutor(byte[] signingKey, Clock clock, TaskEnvironment environment) {
    this.signingKey = signingKey == null ? null : signingKey.clone();
    this.clock = clock;
    this.environment = environment;
  }

  /** One whose tasks see none of the worker's environment but {@link TaskEnvironment#ALLOWED}. */
  public HttpExecutor(byte[] signingKey, Clock clock) {
    this(signingKey, clock, TaskEnvironment.ofWorker(Set.of()));
  }

  /** With the key from {@code KAIROS_HTTP_SIGNING_KEY}, if set. */
  public static HttpExecutor fromEnvironment(TaskEnvironment environment) {
    String key = System.getenv("KAIROS_HTTP_SIGNING_KEY");
    return new HttpExecutor(
        key == null || key.isBlank() ? null : key.getBytes(StandardCharsets.UTF_8),
        Clock.systemUTC(),
        environment);
  }

  @Override
  public String type() {
    return "http";
  }

  @Override
  public Outcome execute(Assignment a, ExecutionContext ctx) throws InterruptedException {
    HttpSpec spec = (HttpSpec) a.task().executor();
    Secrets secrets;
    try {
      secrets = Secrets.resolve(spec.secretHeaders(), environment::passed, Secrets.Target.HEADER);
    } catch (Secrets.Unresolved e) {
      return new Outcome.Failed(null, e.getMessage());
    }
    boolean json =
        spec.body() != null && spec.body().stripLeading().startsWith("{")
            || spec.body() != null && spec.body().stripLeading().startsWith("[");
    String body = spec.body() == null ? "" : BodyTemplate.fill(spec.body(), values(a), json);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(spec.url()))
            .method(
                spec.method(),
                spec.body() == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
            .header("User-Agent", "kairos-worker")
            .header("Idempotency-Key", a.idempotencyKey());
    headers(request, spec, secrets, json);
    Duration timeout = spec.timeout() != null ? spec.timeout() : a.task().timeout();
    if (timeout != null) {
      request.timeout(timeout);
    }
    if (spec.sign()) {
      if (signingKey == null) {
        return new Outcome.Rejected(
            null, "sign: true, but this worker has no signing key (KAIROS_HTTP_SIGNING_KEY)");
      }
      String timestamp = String.valueOf(clock.instant().getEpochSecond());
      request.header("X-Kairos-Timestamp", timestamp);
      request.header("X-Kairos-Signature", RequestSignature.header(signingKey, timestamp, body));
    }
    long started = System.nanoTime();
    CompletableFuture<HttpResponse<InputStream>> call =
        http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    ctx.onCancel(() -> call.cancel(true));
    HttpResponse<InputStream> response;
    try {
      response = call.get();
    } catch (java.util.concurrent.CancellationException e) {
      return new Outcome.Cancelled("cancelled while the request was in flight");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof HttpTimeoutException) {
        return new Outcome.TimedOut("no answer within " + Durations.format(timeout));
      }
      return new Outcome.Failed(null, secrets.mask("request failed: " + e.getCause()));
    }
    int status = response.statusCode();
    Read read = read(response, spec.maxResponseBytes(), timeout, started, ctx);
    if (read.failure() != null) {
      return read.failure();
    }
    ResponseBody answered = read.body();
    String answer = new String(answered.kept(), StandardCharsets.UTF_8);
    String cut = read.cut();
    log(ctx.log(), spec, status, answer, cut, secrets);
    if (spec.expects(status)) {
      // the outputs of an answer cut short cannot be known, and the same request gets it again
      return cut != null
          ? new Outcome.Rejected(status, cut)
          : new Outcome.Succeeded(masked(outputs(answer, answered.length()), secrets));
    }
    String error = "HTTP " + status + " from " + URI.create(spec.url()).getHost();
    return status >= 500 ? new Outcome.Failed(status, error) : new Outcome.Rejected(status, error);
  }

  /** The spec's headers, plain and secret, and a Content-Type for a body that names none. */
  private static void headers(
      HttpRequest.Builder request, HttpSpec spec, Secrets secrets, boolean json) {
    if (spec.body() != null
        && Stream.concat(spec.headers().keySet().stream(), spec.secretHeaders().keySet().stream())
            .noneMatch("content-type"::equalsIgnoreCase)) {
      request.header("Content-Type", json ? "application/json" : "text/plain; charset=utf-8");
    }
    spec.headers().forEach(request::header);
    secrets.values().forEach(request::header);
  }

  /**
   * The attempt's log: the status line, the answer's first 4,000 characters and why it was cut, if
   * it was; every secret value masked, since a service may echo the headers it got.
   */
  private static void log(
      LogBuffer log, HttpSpec spec, int status, String answer, String cut, Secrets secrets) {
    log.line(
        "stdout", secrets.mask("HTTP " + status + " " + spec.method() + " " + shown(spec.url())));
    if (!answer.isBlank()) {
      // masked whole, then cut: a secret across the cut is hidden, not shown in part
      String logged = secrets.mask(answer);
      log.line("stdout", logged.length() > 4_000 ? logged.substring(0, 4_000) + "…" : logged);
    }
    if (cut != null) {
      log.line("stdout", "[" + cut + "]");
    }
  }

  /**
   * The URL as the task's log shows it: without user information or query, which may carry
   * credentials ({@code https://user:pass@host/x?token=…} is shown {@code https://host/x?…}).
   */
  static String shown(String url) {
    URI u = URI.create(url);
    StringBuilder s = new StringBuilder().append(u.getScheme()).append("://").append(u.getHost());
    if (u.getPort() >= 0) {
      s.append(':').append(u.getPort());
    }
    s.append(u.getRawPath() == null ? "" : u.getRawPath());
    if (u.getRawQuery() != null) {
      s.append("?…");
    }
    return s.toString();
  }

  /**
   * What was read of an answer; {@code cut} says why it was not read to its end (null if it was),
   * {@code failure} is the outcome when it could not be read at all.
   */
  private record Read(ResponseBody body, String cut, Outcome failure) {}

  /**
   * Reads the answer up to {@code cap}, within what is left of {@code timeout} (the client's own
   * timeout ends when the headers arrive, JDK-8258397: an answer that stalls after them would hang
   * the attempt), and stops when the attempt is cancelled.
   */
  private static Read read(
      HttpResponse<InputStream> response,
      long cap,
      Duration timeout,
      long started,
      ExecutionContext ctx) {
    InputStream in = response.body();
    long declared = response.headers().firstValueAsLong("Content-Length").orElse(-1);
    if (declared > cap) {
      closeQuietly(in);
      return new Read(
          new ResponseBody(new byte[0], 0, true),
          "the answer is "
              + declared
              + " bytes, more than "
              + Quantities.formatBytes(cap)
              + ", its http.maxResponseBytes; it was not read",
          null);
    }
    AtomicBoolean late = new AtomicBoolean();
    CompletableFuture<Void> deadline = null;
    if (timeout != null) {
      long left = Saturating.millis(timeout) - (System.nanoTime() - started) / 1_000_000;
      deadline =
          CompletableFuture.runAsync(
              () -> {
                late.set(true);
                closeQuietly(in);
              },
              CompletableFuture.delayedExecutor(Math.max(left, 0), TimeUnit.MILLISECONDS));
    }
    ctx.onCancel(() -> closeQuietly(in));
    ResponseBody body = null;
    String problem = null;
    try {
      body = ResponseBody.read(in, cap, MAX_ANSWER);
    } catch (IOException e) {
      problem = e.getMessage();
    } finally {
      if (deadline != null) {
        deadline.cancel(false);
      }
      closeQuietly(in);
    }
    if (late.get()) {
      return new Read(
          null, null, new Outcome.TimedOut("no answer within " + Durations.format(timeout)));
    }
    if (ctx.cancelled()) {
      return new Read(
          null, null, new Outcome.Cancelled("cancelled while the answer was being read"));
    }
    if (body == null) {
      return new Read(
          null,
          null,
          new Outcome.Failed(response.statusCode(), "reading the answer failed: " + problem));
    }
    return new Read(
        body,
        body.overCap()
            ? "the answer is more than "
                + Quantities.formatBytes(cap)
                + ", its http.maxResponseBytes; it was not read further"
            : null,
        null);
  }

  private static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException e) {
      // the connection is gone either way
    }
  }

  /** The template's values: the attempt, its run parameters and its upstream tasks' outputs. */
  private static Map<String, String> values(Assignment a) {
    Map<String, String> v = new HashMap<>();
    v.put("run.id", String.valueOf(a.runId()));
    v.put("task", a.task().name());
    v.put("attempt", String.valueOf(a.attempt()));
    v.put("idempotencyKey", a.idempotencyKey());
    v.put("job", a.namespace() + "/" + a.job());
    if (a.fireTime() != null) {
      v.put("fireTime", a.fireTime().toString());
    }
    EventEnv.params(a.event()).forEach((name, value) -> v.put("param." + name, value));
    a.inputs()
        .forEach((task, outputs) ->
            outputs.forEach((k, value) -> v.put("input." + task + "." + k, value)));
    return v;
  }

  /** The outputs with every secret value masked: they are shown by the API and passed on. */
  private static Map<String, String> masked(Map<String, String> outputs, Secrets secrets) {
    Map<String, String> out = new LinkedHashMap<>();
    outputs.forEach((k, v) -> out.put(k, secrets.mask(v)));
    return out;
  }

  /** A JSON object's top-level texts, numbers and booleans, as far as outputs may hold them. */
  private static Map<String, String> outputs(String answer, long length) {
    if (length > MAX_ANSWER || !answer.stripLeading().startsWith("{")) {
      return Map.of();
    }
    Map<String, String> out = new LinkedHashMap<>();
    try {
      JsonNode node = JSON.readTree(answer);
      int bytes = 0;
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> f = it.next();
        if (f.getValue().isValueNode()
            && !f.getValue().isNull()
            && TaskOutputs.validKey(f.getKey())) {
          String value = f.getValue().asText();
          bytes += f.getKey().length() + value.length();
          if (bytes > TaskOutputs.MAX_BYTES) {
            break;
          }
          out.put(f.getKey(), value);
        }
      }
    } catch (IOException e) {
      return Map.of(); // not JSON after all: the answer is in the log
    }
    return out;
  }
}
