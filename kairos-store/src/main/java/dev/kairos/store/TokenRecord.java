package dev.kairos.store;

import java.time.Instant;
import java.util.List;

/**
 * An API token as stored: only its SHA-256 hash is kept, never the token.
 *
 * @param name who it belongs to, shown in logs and audit (e.g. {@code admin}); a worker's
 *     credential carries the name of the token it enrolled with
 * @param role what it may do (see {@link Role})
 * @param namespaces the namespaces it may read and change; empty for all. Only operator, viewer and
 *     events tokens are limited this way (an admin token could mint itself an unlimited one)
 * @param pools the worker pools it may enrol and poll for (worker tokens); empty for all
 * @param clusters the clusters whose workers it may enrol (worker tokens); empty for all
 * @param expiresAt when it stops working, or null for never
 * @param workerId for a worker's credential, the one worker id it may act as; null for any other
 *     token (a worker token without one may only enrol)
 */
public record TokenRecord(
    String name,
    Role role,
    List<String> namespaces,
    List<String> pools,
    List<String> clusters,
    Instant expiresAt,
    String workerId) {
  public TokenRecord {
    namespaces = namespaces == null ? List.of() : List.copyOf(namespaces);
    pools = pools == null ? List.of() : List.copyOf(pools);
    clusters = clusters == null ? List.of() : List.copyOf(clusters);
  }

  /** A token of {@code role} without limits. */
  public TokenRecord(String name, Role role) {
    this(name, role, List.of(), List.of(), List.of(), null, null);
  }

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
    /**
     * The worker protocol ({@code /api/v1/worker/*}) only: enrolment, and for a credential bound to
     * a worker id, the calls of that worker.
     */
    WORKER
  }

  /** Whether it has stopped working at {@code now}. */
  public boolean expiredAt(Instant now) {
    return expiresAt != null && !now.isBefore(expiresAt);
  }

  /** Whether it may read and change the jobs and runs of {@code namespace}. */
  public boolean allowsNamespace(String namespace) {
    return namespaces.isEmpty() || namespaces.contains(namespace);
  }

  /** Whether it reaches every namespace (no limit to some). */
  public boolean allNamespaces() {
    return namespaces.isEmpty();
  }

  /** Whether it may enrol or poll for workers of {@code pool}. */
  public boolean allowsPool(String pool) {
    return pools.isEmpty() || pools.contains(pool);
  }

  /** Whether it may enrol or poll for workers of {@code cluster} (null: a worker of none). */
  public boolean allowsCluster(String cluster) {
    return clusters.isEmpty() || (cluster != null && clusters.contains(cluster));
  }

  /**
   * The credential a worker gets by enrolling with this token: bound to its id, its pool and its
   * cluster, expiring with this token.
   */
  public TokenRecord credentialFor(String worker, String pool, String cluster) {
    return new TokenRecord(
        name,
        Role.WORKER,
        List.of(),
        List.of(pool),
        cluster == null ? List.of() : List.of(cluster),
        expiresAt,
        worker);
  }
}
