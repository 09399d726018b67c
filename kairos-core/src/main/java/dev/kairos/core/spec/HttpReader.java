package dev.kairos.core.spec;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads an {@code http} executor (see {@link HttpSpec}). */
final class HttpReader {
  static final Set<String> HTTP =
      new LinkedHashSet<>(
          List.of(
              "url",
              "method",
              "headers",
              "body",
              "timeout",
              "expectedStatus",
              "sign",
              "maxResponseBytes"));
  private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");
  private static final Pattern HEADER = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}");

  /** Set by the executor itself. */
  private static final Set<String> RESERVED =
      Set.of("host", "content-length", "x-kairos-signature", "x-kairos-timestamp");

  private final NodeReader r;

  HttpReader(NodeReader r) {
    this.r = r;
  }

  HttpSpec read(JsonNode node, String path) {
    if (!r.object(node, path, HTTP)) {
      return null;
    }
    String url = r.string(node, "url", path, true);
    if (url != null) {
      try {
        URI u = new URI(url);
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || u.getHost() == null) {
          r.error(path + ".url", url, "must be an absolute http or https URL");
          url = null;
        }
      } catch (URISyntaxException e) {
        r.error(path + ".url", url, "is not a URL: " + e.getReason());
        url = null;
      }
    }
    String method = r.string(node, "method", path, false);
    if (method == null) {
      method = "POST";
    } else if (!METHODS.contains(method.toUpperCase(Locale.ROOT))) {
      r.error(path + ".method", method, "must be one of GET, POST, PUT, PATCH, DELETE");
    }
    Map<String, String> headers = new LinkedHashMap<>();
    Map<String, SecretEnv> secretHeaders = new LinkedHashMap<>();
    headers(node.get("headers"), path + ".headers", headers, secretHeaders);
    String body = r.string(node, "body", path, false);
    Duration timeout = r.duration(node, "timeout", path);
    List<Integer> expected = new ArrayList<>();
    JsonNode codes = node.get("expectedStatus");
    if (codes != null && !codes.isNull()) {
      if (!codes.isArray()) {
        r.error(path + ".expectedStatus", codes, "must be a list of HTTP statuses (100 to 599)");
      } else {
        for (JsonNode c : codes) {
          if (!c.canConvertToInt() || c.asInt() < 100 || c.asInt() > 599) {
            r.error(path + ".expectedStatus", c, "must be a list of HTTP statuses (100 to 599)");
          } else {
            expected.add(c.asInt());
          }
        }
      }
    }
    boolean sign = Boolean.TRUE.equals(r.bool(node, "sign", path));
    Long maxResponseBytes =
        r.byteCount(node, "maxResponseBytes", path, 1, Bounds.RESPONSE_BYTES_MAX);
    return url == null
        ? null
        : new HttpSpec(
            url,
            method.toUpperCase(Locale.ROOT),
            headers,
            body,
            timeout,
            expected,
            sign,
            maxResponseBytes == null ? HttpSpec.DEFAULT_MAX_RESPONSE_BYTES : maxResponseBytes,
            secretHeaders);
  }

  /**
   * {@code headers}: a map of names to strings, or to objects for secrets ({@link SecretEnv}).
   * Errors about a secret never show its value.
   */
  private void headers(
      JsonNode node, String path, Map<String, String> plain, Map<String, SecretEnv> secrets) {
    if (node == null || node.isNull()) {
      return;
    }
    if (!node.isObject()) {
      r.error(path, node, "must be a map of names to strings or to {secret: true, value: ...}");
      return;
    }
    SecretReader reader = new SecretReader(r);
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      String name = e.getKey();
      String namePath = NodeReader.path(path, name);
      if (!HEADER.matcher(name).matches()) {
        r.error(namePath, name, "is not a valid header name");
      } else if (RESERVED.contains(name.toLowerCase(Locale.ROOT))) {
        r.error(namePath, name, "is set by Kairos");
      }
      JsonNode v = e.getValue();
      if (v.isObject()) {
        SecretEnv secret = reader.read(v, namePath, SecretReader.Target.HEADER);
        if (secret != null) {
          secrets.put(name, secret);
        }
      } else if (v.isArray() || v.isNull()) {
        r.error(namePath, v, "must be a string, or {secret: true, value: ...} for a secret");
      } else {
        plain.put(name, v.asText());
      }
    }
    // both would be sent: a plain value beside a secret one is a mistake either way
    List<String> twice = new ArrayList<>();
    for (String name : secrets.keySet()) {
      for (Map.Entry<String, JsonNode> other : node.properties()) {
        if (!other.getKey().equals(name) && other.getKey().equalsIgnoreCase(name)) {
          twice.add(name);
          r.error(
              NodeReader.path(path, name),
              name,
              "names the same header as "
                  + other.getKey()
                  + " (header names are case-insensitive); give a header once");
        }
      }
    }
    twice.forEach(secrets::remove);
  }
}
