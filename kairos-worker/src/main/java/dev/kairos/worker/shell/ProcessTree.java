package dev.kairos.worker.shell;

import dev.kairos.worker.contain.Containment;
import dev.kairos.worker.limits.LimitEnforcer;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The processes of one attempt, started contained ({@link Containment#launch}: marked, in a session
 * of their own, dying with the worker) and stopped together: not only the process group a shell's
 * pipelines and background jobs share, but anything that left it (setsid, a daemon's double fork),
 * found through the attempt's cgroup when it has one, else through its mark.
 */
final class ProcessTree {
  private static final long POLL_MILLIS = 50;

  private final Containment containment;
  private final Containment.Launched launched;
  private final LimitEnforcer.AttemptLimits limits;

  private ProcessTree(
      Containment containment, Containment.Launched launched, LimitEnforcer.AttemptLimits limits) {
    this.containment = containment;
    this.launched = launched;
    this.limits = limits;
  }

  /** Starts the attempt's command (already wrapped by {@code limits}) contained. */
  static ProcessTree start(
      ProcessBuilder builder,
      long attemptId,
      Containment containment,
      LimitEnforcer.AttemptLimits limits)
      throws IOException {
    return new ProcessTree(containment, containment.launch(builder, attemptId), limits);
  }

  /** The attempt's first process, whose exit is the attempt's. */
  Process process() {
    return launched.process();
  }

  /**
   * SIGTERM to every process of the attempt, up to {@code grace} for them all to exit, then {@link
   * #kill}. The wait is cut short once {@code hurry} says so (the attempt was given up meanwhile).
   */
  void stop(Duration grace, BooleanSupplier hurry) throws InterruptedException {
    if (grace.isPositive() && !hurry.getAsBoolean()) {
      containment.terminate(launched);
      long deadline = System.nanoTime() + grace.toNanos();
      while (System.nanoTime() < deadline && !hurry.getAsBoolean()) {
        if (process().waitFor(POLL_MILLIS, TimeUnit.MILLISECONDS)
            && !containment.anyAlive(launched)) {
          return;
        }
      }
    }
    kill();
  }

  /**
   * SIGKILL to every process of the attempt until none is left: through its cgroup when it runs in
   * one (which holds them all, whatever they did), else through its mark, searching every process.
   */
  void kill() {
    killFirst();
    if (!limits.killAll()) {
      containment.kill(launched);
    }
  }

  /**
   * SIGKILL to what the attempt left running when it ended (a daemon it started): through its
   * cgroup, else through its mark among the processes started after its first one (see {@link
   * Containment#killLeftovers}).
   */
  void killLeftovers() {
    killFirst();
    if (!limits.killAll()) {
      containment.killLeftovers(launched);
    }
  }

  /**
   * The first process, which may not have joined its cgroup yet (it has forked nothing then): the
   * cgroup holds everything else. Through its handle: {@link Process#destroy} would close the pipes
   * whose last output the log has yet to read.
   */
  private void killFirst() {
    if (process().isAlive()) {
      process().toHandle().destroyForcibly();
    }
  }
}
