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

  /** Both, as if recorded in one batch. */
  public Completed plus(Completed other) {
    List<AttemptEnd> both = new java.util.ArrayList<>(ended);
    both.addAll(other.ended);
    // queued work in unknown pools wakes every pool's workers, whatever the other batch knew
    boolean unknown = wakesEveryPool() || other.wakesEveryPool();
    Set<String> all = new java.util.HashSet<>(pools);
    all.addAll(other.pools);
    return new Completed(both, queued + other.queued, unknown ? Set.of() : all);
  }

  private boolean wakesEveryPool() {
    return queued > 0 && pools.isEmpty();
  }

  /** Completions recorded. */
  public int accepted() {
    return ended.size();
  }
}
