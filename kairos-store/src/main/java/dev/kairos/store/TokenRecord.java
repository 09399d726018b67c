package dev.kairos.store;

/**
 * An API token as stored: only its SHA-256 hash is kept, never the token.
 *
 * @param name who it belongs to, shown in logs and audit (e.g. {@code admin})
 * @param role ADMIN (full API) or WORKER (worker protocol only)
 */
public record TokenRecord(String name, Role role) {
  public enum Role {
    ADMIN,
    WORKER
  }
}
