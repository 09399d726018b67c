package dev.kairos.store;

import java.util.List;
import java.util.Set;

/**
 * What recording a batch of completions did.
 *
 * @param ended the attempts it ended (the other completions were for attempts the worker no longer
 *     held)
 * @param queued attempts it queued that are due at once (a DAG's next tasks, retries without
 *     backoff, runs released from maxActiveRuns): waiting workers are worth waking for these only
 * @param pools the pools those attempts are in, so that only their workers are woken; empty when
 *     not known (runs started by events the tasks emitted), which wakes every pool's
 */
public record Completed(List<AttemptEnd> ended, int queued, Set<String> pools) {
  public static final Completed NONE = new Completed(List.of(), 0, Set.of());

  public Completed {
    ended = List.copyOf(ended);
    pools = Set.copyOf(pools);
  }

  /** Completions recorded. */
  public int accepted() {
    return ended.size();
  }
}
