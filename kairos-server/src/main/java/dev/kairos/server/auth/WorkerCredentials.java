package dev.kairos.server.auth;

import dev.kairos.core.protocol.WorkerInfo;
import dev.kairos.store.Store;
import dev.kairos.store.TokenRecord;
import java.time.Clock;
import java.time.Instant;

/**
 * Worker identity. A worker is started with a worker token (an enrolment token: {@code kairos token
 * create NAME --role worker --pools gpu --clusters eu}), enrols with it once, and gets back its own
 * credential, bound to its worker id, pool and cluster. Every other worker call must carry that
 * credential and name that worker: a worker token alone can no longer act as any worker, and a
 * credential taken from one worker's host acts only as that worker, in its pool. A worker that
 * enrols again (a restart) replaces its credential; revoking the enrolment token's name revokes
 * every credential enrolled with it.
 */
public final class WorkerCredentials {
  private final Store store;
  private final Clock clock;

  public WorkerCredentials(Store store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /** A credential just issued: the only time its secret is shown. */
  public record Enrolled(
      String workerId, String pool, String cluster, String token, Instant expiresAt) {}

  /**
   * Issues the credential of worker {@code workerId} of {@code pool} and {@code cluster}, if {@code
   * caller} may enrol such a worker.
   *
   * @throws AuthException 403 when it may not
   */
  public Enrolled enrol(TokenRecord caller, String workerId, String pool, String cluster) {
    if (caller.workerId() != null) {
      throw new AuthException(
          403,
          "this is the credential of worker "
              + caller.workerId()
              + ", which cannot enrol workers: enrol with the worker token the worker was"
              + " started with");
    }
    allowed(caller, pool, cluster);
    String secret = Tokens.generate();
    TokenRecord credential = caller.credentialFor(workerId, pool, cluster);
    store.enrolWorker(Tokens.sha256Hex(secret), credential, clock.instant());
    return new Enrolled(workerId, pool, cluster, secret, credential.expiresAt());
  }

  /**
   * A 403 unless {@code caller} is the credential of worker {@code workerId}: a worker's calls are
   * made with the credential it enrolled for, and as that worker only.
   */
  public static void actingAs(TokenRecord caller, String workerId) {
    if (caller.workerId() == null) {
      throw new AuthException(
          403,
          "token '"
              + caller.name()
              + "' is not a worker's credential: a worker enrols first (POST"
              + " /api/v1/worker/enrol with this token) and calls with the credential it gets");
    }
    if (!caller.workerId().equals(workerId)) {
      throw new AuthException(
          403,
          "the credential of worker " + caller.workerId() + " may not act as worker " + workerId);
    }
  }

  /** {@link #actingAs}, and a 403 unless the poll is for the credential's pool and cluster. */
  public static void polling(TokenRecord caller, WorkerInfo worker) {
    actingAs(caller, worker.workerId());
    allowed(caller, worker.pool(), worker.cluster());
  }

  private static void allowed(TokenRecord token, String pool, String cluster) {
    if (token.workerId() != null && !(token.allowsPool(pool) && token.allowsCluster(cluster))) {
      throw new AuthException(
          403,
          "worker "
              + token.workerId()
              + " enrolled for pool "
              + String.join(", ", token.pools())
              + (token.clusters().isEmpty() ? "" : " of cluster " + token.clusters().get(0))
              + " and polls that only, not pool "
              + pool
              + " of cluster "
              + cluster
              + "; a worker of another pool or cluster enrols under its own id");
    }
    if (!token.allowsPool(pool)) {
      throw outside(token, "pool", token.pools(), pool);
    }
    if (!token.allowsCluster(cluster)) {
      throw outside(token, "cluster", token.clusters(), cluster);
    }
  }

  private static AuthException outside(
      TokenRecord token, String kind, java.util.List<String> allowed, String asked) {
    return new AuthException(
        403,
        "token '"
            + token.name()
            + "' is for workers of "
            + kind
            + (allowed.size() == 1 ? " " : "s ")
            + String.join(", ", allowed)
            + " only, not of "
            + kind
            + " "
            + asked);
  }
}
