package dev.kairos.worker.empty;

import dev.kairos.core.protocol.Assignment;
import dev.kairos.worker.executor.ExecutionContext;
import dev.kairos.worker.executor.Executor;
import dev.kairos.worker.executor.Outcome;

/** Completes at once: a DAG join point and the benchmark's no-op. */
public final class EmptyExecutor implements Executor {
  private static final Outcome DONE = new Outcome.Succeeded();

  @Override
  public String type() {
    return "empty";
  }

  @Override
  public Outcome execute(Assignment assignment, ExecutionContext ctx) {
    return DONE;
  }
}
