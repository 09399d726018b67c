package dev.kairos.core.run;

import java.util.List;

/**
 * What a run does next after one of its attempts ended.
 *
 * @param queue tasks to queue now (their upstream tasks are done)
 * @param finalState the run's terminal state when it is over, or null while work remains
 * @param reason why the run ended that way (null when it succeeded or is still going)
 */
public record RunAdvance(List<String> queue, RunState finalState, String reason) {
  public RunAdvance {
    queue = List.copyOf(queue);
  }
}
