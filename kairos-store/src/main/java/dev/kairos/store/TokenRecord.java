package dev.kairos.store;

/**
 * An API token as stored: only its SHA-256 hash is kept, never the token.
 *
 * @param name who it belongs to, shown in logs and audit (e.g. {@code admin})
 * @param role what it may do (see {@link Role})
 */
public record TokenRecord(String name, Role role) {
  /** What a token may do. */
  public enum Role {
    /** Everything, the worker protocol and the tokens themselves included. */
    ADMIN,
    /** Apply and delete jobs, trigger, cancel, retry and repair runs, set pools; and read. */
    OPERATOR,
    /** Read only: jobs, runs, logs, alerts, pools, workers, metrics. */
    VIEWER,
    /** Send events ({@code POST /api/v1/events}) only. */
    EVENTS,
    /** The worker protocol ({@code /api/v1/worker/*}) only. */
    WORKER
  }
}
