package dev.kairos.core.protocol;

/**
 * A worker's hold on an attempt: the attempt and the fencing token of the claim that gave it to the
 * worker. An attempt given back or lost and claimed again gets a new token, so a call made under an
 * earlier claim (a stale process, a retried request) changes nothing.
 *
 * @param attemptId which attempt
 * @param fence the token its claim carried ({@link Assignment#fence()})
 */
public record Lease(long attemptId, long fence) {}
