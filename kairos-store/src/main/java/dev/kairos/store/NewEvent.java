package dev.kairos.store;

/**
 * An event as received (CloudEvents field names).
 *
 * @param type what happened, e.g. {@code data-ready}
 * @param source who says so, e.g. {@code s3://lake/orders}
 * @param id unique per source: the same source and id is the same event
 * @param dataJson its data as JSON, or null
 */
public record NewEvent(String type, String source, String id, String dataJson) {}
