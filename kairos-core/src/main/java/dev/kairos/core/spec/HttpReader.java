package dev.kairos.core.spec;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
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
    Map<String, String> headers = r.stringMap(node, "headers", path);
    for (String h : headers.keySet()) {
      if (!HEADER.matcher(h).matches()) {
        r.error(path + ".headers." + h, h, "is not a valid header name");
      } else if (RESERVED.contains(h.toLowerCase(Locale.ROOT))) {
        r.error(path + ".headers." + h, h, "is set by Kairos");
      }
    }
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
            maxResponseBytes == null ? HttpSpec.DEFAULT_MAX_RESPONSE_BYTES : maxResponseBytes);
  }
}
