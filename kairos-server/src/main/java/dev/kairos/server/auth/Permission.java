package dev.kairos.server.auth;

import dev.kairos.store.TokenRecord.Role;
import java.util.Arrays;
import java.util.List;

/** What a route needs of the token that calls it. */
public enum Permission {
  /** Read jobs, runs, logs, alerts, pools, workers, metrics. */
  READ,
  /**
   * Change what runs: apply and delete jobs, suspend and resume, trigger, cancel, retry, repair.
   */
  OPERATE,
  /** Send events. */
  EVENTS,
  /** The worker protocol. */
  WORKER,
  /** The audit log and the tokens themselves. */
  ADMIN;

  /** Whether a token of {@code role} has this permission. */
  public boolean grantedTo(Role role) {
    return switch (role) {
      case ADMIN -> true;
      case OPERATOR -> this == READ || this == OPERATE;
      case VIEWER -> this == READ;
      case EVENTS -> this == EVENTS;
      case WORKER -> this == WORKER;
    };
  }

  /** The roles that have it, for messages: {@code admin, operator}. */
  public String roles() {
    List<String> names =
        Arrays.stream(Role.values())
            .filter(this::grantedTo)
            .map(r -> r.name().toLowerCase())
            .toList();
    return String.join(", ", names);
  }
}
