package dev.kairos.core.spec;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An HTTP call: a serverless function, a webhook, any service that does the work when asked.
 *
 * <pre>
 * http:
 *   url: https://fn.example.com/load
 *   method: POST                                      # default POST
 *   headers:
 *     X-Team: data
 *     Authorization: {secret: true, value: "Bearer abc"}  # or {fromFile: ...}, {fromEnv: ...}
 *   body: '{"table": "${param.table}", "run": ${run.id}}'
 *   timeout: 30s                                      # of the request; default the task's timeout
 *   expectedStatus: [200, 202]                        # default any 2xx
 *   sign: true                                        # HMAC-sign with the worker's key
 *   maxResponseBytes: 4Mi                             # default 1Mi; 1 to 64Mi
 * </pre>
 *
 * The body is a template: {@code ${run.id}}, {@code ${task}}, {@code ${attempt}}, {@code
 * ${idempotencyKey}}, {@code ${fireTime}}, {@code ${param.NAME}} (a run parameter: a field of the
 * starting event's data) and {@code ${input.TASK.KEY}} (an upstream task's output) are replaced,
 * escaped for JSON when the body is JSON. An expected status succeeds; a 5xx, a timeout or a failed
 * connection fails the attempt and the retry policy retries it; any other status (a 4xx: the
 * request itself is wrong) fails it for good. A JSON object answered becomes the task's outputs
 * (its top-level texts, numbers and booleans). An answer longer than {@code maxResponseBytes} is
 * read no further, and with an expected status fails the task for good: its outputs cannot be
 * known, and the same request would get the same answer.
 *
 * <p>A header whose value is a secret ({@link SecretEnv}) is resolved on the worker when the
 * attempt starts, sent with the request and masked as {@code ***} in the task's log and outputs;
 * the API shows an inline one as {@code ***}.
 *
 * @param url http or https
 * @param method GET, POST, PUT, PATCH or DELETE
 * @param headers extra request headers, by name
 * @param body the body template, or null for none
 * @param timeout of the request; null = the task's timeout
 * @param expectedStatus statuses that succeed; empty = any 2xx
 * @param sign whether to add {@code X-Kairos-Signature} (HMAC-SHA256 of {@code timestamp.body})
 * @param maxResponseBytes the most of an answer read, 1 to {@link Bounds#RESPONSE_BYTES_MAX}
 * @param secretHeaders extra request headers whose values are secrets (given in {@code headers} as
 *     objects, see {@link SecretEnv}); a name is in {@code headers} or here, not both (header names
 *     are case-insensitive)
 */
public record HttpSpec(
    String url,
    String method,
    Map<String, String> headers,
    String body,
    Duration timeout,
    List<Integer> expectedStatus,
    boolean sign,
    long maxResponseBytes,
    Map<String, SecretEnv> secretHeaders)
    implements ExecutorSpec {

  /** {@code maxResponseBytes} when the spec does not say: 1 MiB. */
  public static final long DEFAULT_MAX_RESPONSE_BYTES = 1L << 20;

  /** Without secret headers. */
  public HttpSpec(
      String url,
      String method,
      Map<String, String> headers,
      String body,
      Duration timeout,
      List<Integer> expectedStatus,
      boolean sign,
      long maxResponseBytes) {
    this(url, method, headers, body, timeout, expectedStatus, sign, maxResponseBytes, Map.of());
  }

  /** With the default {@code maxResponseBytes}, without secret headers. */
  public HttpSpec(
      String url,
      String method,
      Map<String, String> headers,
      String body,
      Duration timeout,
      List<Integer> expectedStatus,
      boolean sign) {
    this(url, method, headers, body, timeout, expectedStatus, sign, DEFAULT_MAX_RESPONSE_BYTES);
  }

  public HttpSpec {
    headers = Map.copyOf(headers);
    expectedStatus = List.copyOf(expectedStatus);
    secretHeaders = Map.copyOf(secretHeaders);
    for (String name : secretHeaders.keySet()) {
      if (headers.keySet().stream().anyMatch(name::equalsIgnoreCase)) {
        throw new IllegalArgumentException(
            "header " + name + " is given both as a plain value and as a secret");
      }
    }
  }

  /**
   * Why {@code value} cannot be a request header's value, or null if it can. A line break would end
   * the header, and let a value (one read from a file on the worker, say) add headers of its own;
   * the JDK's HTTP client also refuses every other control character and any character past
   * ISO-8859-1, with the value in its message. Never quotes the value.
   */
  public static String headerValueProblem(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\0') {
        return "holds a NUL byte (\\u0000), which no HTTP header value can hold";
      }
      if (c == '\r' || c == '\n') {
        return "holds a line break (CR or LF), which no HTTP header value can hold";
      }
      if ((c < 0x20 && c != '\t') || c == 0x7f || c > 0xff) {
        return "holds a control character or a character past ISO-8859-1, which no HTTP header"
            + " value can hold";
      }
    }
    return null;
  }

  /** The same call with its inline secret header values replaced by {@code ***}, for display. */
  @Override
  public HttpSpec redacted() {
    if (secretHeaders.isEmpty()) {
      return this;
    }
    Map<String, SecretEnv> shown = new LinkedHashMap<>();
    secretHeaders.forEach((k, v) -> shown.put(k, v.redacted()));
    return new HttpSpec(
        url, method, headers, body, timeout, expectedStatus, sign, maxResponseBytes, shown);
  }

  @Override
  public String type() {
    return "http";
  }

  /** Whether an answer with {@code status} succeeds. */
  public boolean expects(int status) {
    return expectedStatus.isEmpty() ? status / 100 == 2 : expectedStatus.contains(status);
  }
}
