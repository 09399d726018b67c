package dev.kairos.worker.executor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What an executor gets besides the assignment: the variables every attempt receives, where its
 * output goes, where it may work, and a cancellation signal.
 */
public final class ExecutionContext {
  private final Map<String, String> env;
  private final LogBuffer log;
  private final Path workRoot;
  private final List<Runnable> onCancel = new ArrayList<>();
  private boolean cancelled;
  private volatile boolean abandoned;

  public ExecutionContext(Map<String, String> env, LogBuffer log, Path workRoot) {
    this.env = Map.copyOf(env);
    this.log = log;
    this.workRoot = workRoot;
  }

  /** KAIROS_JOB, KAIROS_RUN_ID, KAIROS_TASK, KAIROS_ATTEMPT, ... */
  public Map<String, String> env() {
    return env;
  }

  public LogBuffer log() {
    return log;
  }

  /** A directory under which the attempt may create its own working directory. */
  public Path workRoot() {
    return workRoot;
  }

  /** Asks the execution to stop; runs the registered actions once. */
  public void cancel() {
    List<Runnable> actions;
    synchronized (this) {
      if (cancelled) {
        return;
      }
      cancelled = true;
      actions = List.copyOf(onCancel);
    }
    actions.forEach(Runnable::run);
  }

  public synchronized boolean cancelled() {
    return cancelled;
  }

  /**
   * Asks the execution to stop at once, without the grace a cancel gives: the worker has given the
   * attempt up (its lease is lost, or about to run out, or the worker is stopping), and a retry may
   * start elsewhere any moment. Runs the cancel actions if a cancel has not already.
   */
  public void abandon() {
    abandoned = true;
    cancel();
  }

  /** Whether {@link #abandon} was called: a stop under way should not wait any longer. */
  public boolean abandoned() {
    return abandoned;
  }

  /** Registers an action for cancellation; runs it at once if already cancelled. */
  public void onCancel(Runnable action) {
    synchronized (this) {
      if (!cancelled) {
        onCancel.add(action);
        return;
      }
    }
    action.run();
  }
}
