package dev.kairos.store;

/**
 * A page of the audit log, newest first.
 *
 * @param tokenName only calls made with this token; null for all
 * @param beforeId only entries older than this id (the cursor of the page before); null for the
 *     newest
 * @param limit at most this many, 1 to 1,000
 */
public record AuditQuery(String tokenName, Long beforeId, int limit) {
  public AuditQuery {
    if (limit < 1 || limit > 1_000) {
      throw new IllegalArgumentException("limit must be 1 to 1000: " + limit);
    }
  }
}
