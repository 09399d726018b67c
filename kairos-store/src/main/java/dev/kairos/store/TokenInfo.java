package dev.kairos.store;

import java.time.Instant;

/** A stored token as listed: what it may do and when it was made; never its secret or hash. */
public record TokenInfo(TokenRecord token, Instant createdAt) {
  public String name() {
    return token.name();
  }

  public TokenRecord.Role role() {
    return token.role();
  }
}
