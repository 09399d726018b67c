package dev.kairos.store;

import java.util.List;

/**
 * An event as received (CloudEvents field names).
 *
 * @param type what happened, e.g. {@code data-ready}
 * @param source who says so, e.g. {@code s3://lake/orders}
 * @param id unique per source: the same source and id is the same event
 * @param dataJson its data as JSON, or null
 * @param namespaces the namespaces whose jobs it may start (its sender's token is limited to them);
 *     empty for every namespace
 */
public record NewEvent(
    String type, String source, String id, String dataJson, List<String> namespaces) {
  public NewEvent {
    namespaces = namespaces == null ? List.of() : List.copyOf(namespaces);
  }

  /** An event that may start the jobs of every namespace. */
  public NewEvent(String type, String source, String id, String dataJson) {
    this(type, source, id, dataJson, List.of());
  }
}
