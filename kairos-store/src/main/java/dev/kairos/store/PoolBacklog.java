package dev.kairos.store;

import java.time.Instant;

/**
 * Queued attempts that are due and not claimed, of one pool and target cluster.
 *
 * @param cluster the cluster their runs were given, or null for attempts that may run anywhere
 * @param queued how many
 * @param oldestDue when the one waiting longest became due
 */
public record PoolBacklog(String pool, String cluster, long queued, Instant oldestDue) {}
