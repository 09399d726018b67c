package dev.kairos.store;

import java.time.Instant;

/**
 * One version of a job: a manifest applied with a change.
 *
 * @param version 1, 2, ...
 * @param createdAt when it was applied
 */
public record JobVersion(long version, Instant createdAt) {}
