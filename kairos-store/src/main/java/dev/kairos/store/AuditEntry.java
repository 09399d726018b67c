package dev.kairos.store;

import java.time.Instant;

/**
 * One mutating API call, as the audit log keeps it.
 *
 * @param id increasing; 0 for an entry not stored yet
 * @param at when the call was answered
 * @param tokenName the name of the token that made it; null when no valid token was given
 * @param method the HTTP method
 * @param route the route template, e.g. {@code /api/v1/runs/{id}/cancel}
 * @param path the path with its ids, e.g. {@code /api/v1/runs/42/cancel}
 * @param subject what the call acted on when the path does not say (the job a manifest applied);
 *     null otherwise
 * @param status the HTTP status it was answered with
 * @param remote the client's address
 */
public record AuditEntry(
    long id,
    Instant at,
    String tokenName,
    String method,
    String route,
    String path,
    String subject,
    int status,
    String remote) {}
