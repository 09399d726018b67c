package dev.kairos.store;

import dev.kairos.core.alert.AlertKind;
import dev.kairos.core.alert.Webhook;
import java.time.Instant;

/**
 * One delivery of an alert to one webhook.
 *
 * @param id increasing
 * @param runId the run it is about
 * @param namespace the run's job's namespace
 * @param job the run's job
 * @param kind what happened
 * @param task the task it is about (retries exhausted), else null
 * @param detail what happened, in words (the run's failure reason, the task's error)
 * @param url where it goes
 * @param format the body's format
 * @param state PENDING (not delivered yet, retried with backoff), DELIVERED, or FAILED (retries ran
 *     out)
 * @param attempts deliveries tried
 * @param nextAttemptAt when the next try is due (PENDING only)
 * @param lastError why the last try failed, if it did
 * @param createdAt when it was raised
 * @param deliveredAt when the webhook accepted it
 */
public record AlertRecord(
    long id,
    long runId,
    String namespace,
    String job,
    AlertKind kind,
    String task,
    String detail,
    String url,
    Webhook.Format format,
    State state,
    int attempts,
    Instant nextAttemptAt,
    String lastError,
    Instant createdAt,
    Instant deliveredAt) {

  public enum State {
    PENDING,
    DELIVERED,
    FAILED
  }
}
