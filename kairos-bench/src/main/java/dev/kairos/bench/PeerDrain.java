package dev.kairos.bench;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** Waits for a peer scheduler's drain, printing progress, the same way for every peer. */
final class PeerDrain {
  /**
   * How long a drain may run. A slower peer is stopped there and reported with the count it
   * reached, so that one slow peer does not hold the bench for an hour.
   */
  static final Duration GUARD = Duration.ofMinutes(10);

  private PeerDrain() {}

  /** Returns once {@code executed} reaches {@code n}, or when {@code guard} has passed. */
  static PeerResult await(
      String peer, AtomicLong executed, int n, long startNanos, Duration guard, PrintWriter out)
      throws InterruptedException {
    long deadline = startNanos + guard.toNanos();
    Progress progress = Progress.to(out);
    while (executed.get() < n && System.nanoTime() < deadline) {
      Thread.sleep(10);
      double s = (System.nanoTime() - startNanos) / 1e9;
      progress.show(
          String.format("executed %,d / %,d  %,.0f/s", executed.get(), n, executed.get() / s));
    }
    progress.end();
    PeerResult result =
        new PeerResult(n, Math.min(n, executed.get()), (System.nanoTime() - startNanos) / 1e9);
    if (result.complete()) {
      out.printf("%s: %,.0f executions/s%n", peer, result.perSecond());
    } else {
      out.printf(
          "%s: stopped by the guard after %,.0f s with %,d of %,d executed: %,.0f executions/s%n",
          peer, result.seconds(), result.executed(), n, result.perSecond());
    }
    return result;
  }
}
