package dev.kairos.store;

import dev.kairos.core.protocol.Assignment;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * What recording a batch of completions did.
 *
 * @param ended the attempts it ended (the other completions were for attempts the worker no longer
 *     held)
 * @param queued attempts it queued that are due at once (a DAG's next tasks, retries without
 *     backoff, runs released from maxActiveRuns) and left queued: waiting workers are worth waking
 *     for these only
 * @param pools the pools those attempts are in, so that only their workers are woken; empty when
 *     not known (runs started by events the tasks emitted), which wakes every pool's
 * @param claimed the attempts handed to the reporting worker in the same transaction (eager
 *     dispatch, see {@link Store#completeAttempts(String, List, Instant, RandomGenerator, Claim,
 *     Duration, Duration)}); these are not counted in {@code queued}
 */
public record Completed(
    List<AttemptEnd> ended, int queued, Set<String> pools, List<Assignment> claimed) {
  public static final Completed NONE = new Completed(List.of(), 0, Set.of(), List.of());

  public Completed {
    ended = List.copyOf(ended);
    pools = Set.copyOf(pools);
    claimed = List.copyOf(claimed);
  }

  /** Completions recorded. */
  public int accepted() {
    return ended.size();
  }
}
