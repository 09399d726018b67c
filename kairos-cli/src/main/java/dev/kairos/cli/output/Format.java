package dev.kairos.cli.output;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** How values look in tables: times as {@code 2026-11-24 02:00:00Z}, ages as {@code 3m ago}. */
public final class Format {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

  private Format() {}

  public static String time(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return "-";
    }
    return TIME.format(Instant.parse(node.asText()));
  }

  public static String text(JsonNode node) {
    return node == null || node.isNull() || node.isMissingNode() ? "-" : node.asText();
  }

  public static String age(JsonNode node, Instant now) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return "-";
    }
    Duration d = Duration.between(Instant.parse(node.asText()), now);
    long s = Math.abs(d.toSeconds());
    String amount =
        s < 60 ? s + "s" : s < 3600 ? s / 60 + "m" : s < 86400 ? s / 3600 + "h" : s / 86400 + "d";
    return d.isNegative() ? "in " + amount : amount + " ago";
  }
}
