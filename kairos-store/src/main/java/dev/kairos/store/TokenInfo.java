package dev.kairos.store;

import java.time.Instant;

/** A stored token as listed: its name, role and when it was made; never its secret or hash. */
public record TokenInfo(String name, TokenRecord.Role role, Instant createdAt) {}
