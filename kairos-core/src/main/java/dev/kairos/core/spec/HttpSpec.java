package dev.kairos.core.spec;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * An HTTP call: a serverless function, a webhook, any service that does the work when asked.
 *
 * <pre>
 * http:
 *   url: https://fn.example.com/load
 *   method: POST                                      # default POST
 *   headers: {X-Team: data}
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
 * @param url http or https
 * @param method GET, POST, PUT, PATCH or DELETE
 * @param headers extra request headers
 * @param body the body template, or null for none
 * @param timeout of the request; null = the task's timeout
 * @param expectedStatus statuses that succeed; empty = any 2xx
 * @param sign whether to add {@code X-Kairos-Signature} (HMAC-SHA256 of {@code timestamp.body})
 * @param maxResponseBytes the most of an answer read, 1 to {@link Bounds#RESPONSE_BYTES_MAX}
 */
public record HttpSpec(
    String url,
    String method,
    Map<String, String> headers,
    String body,
    Duration timeout,
    List<Integer> expectedStatus,
    boolean sign,
    long maxResponseBytes)
    implements ExecutorSpec {

  /** {@code maxResponseBytes} when the spec does not say: 1 MiB. */
  public static final long DEFAULT_MAX_RESPONSE_BYTES = 1L << 20;

  /** With the default {@code maxResponseBytes}. */
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
