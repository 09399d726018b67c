package dev.kairos.store;

import java.util.List;

/**
 * What recording a batch of completions did.
 *
 * @param ended the attempts it ended (the other completions were for attempts the worker no longer
 *     held)
 * @param queued attempts it queued that are due at once (a DAG's next tasks, retries without
 *     backoff, runs released from maxActiveRuns): waiting workers are worth waking for these only
 */
public record Completed(List<AttemptEnd> ended, int queued) {
  public static final Completed NONE = new Completed(List.of(), 0);

  public Completed {
    ended = List.copyOf(ended);
  }

  /** Completions recorded. */
  public int accepted() {
    return ended.size();
  }
}
