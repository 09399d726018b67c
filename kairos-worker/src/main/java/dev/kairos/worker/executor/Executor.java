package dev.kairos.worker.executor;

import dev.kairos.core.protocol.Assignment;

/** Runs one attempt of one kind of task. Implementations are thread-safe and stateless. */
public interface Executor {
  /** The executor's name in the task spec ({@code shell}, {@code empty}). */
  String type();

  /** Runs the attempt to its end; blocks. Must return promptly after {@code ctx} is cancelled. */
  Outcome execute(Assignment assignment, ExecutionContext ctx) throws InterruptedException;

  /** Releases what it holds for the worker (called once, when the worker has stopped). */
  default void close() {}
}
