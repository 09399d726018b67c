package dev.kairos.bench;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** Waits for a peer scheduler's drain, printing progress, the same way for every peer. */
final class PeerDrain {
  /** A drain that has not finished by then is reported as a failure rather than a figure. */
  static final Duration GUARD = Duration.ofMinutes(10);

  private PeerDrain() {}

  /**
   * Returns once {@code executed} reaches {@code n}, with executions per second since {@code
   * startNanos}; throws if that takes longer than {@link #GUARD}.
   */
  static double await(String peer, AtomicLong executed, int n, long startNanos, PrintWriter out)
      throws InterruptedException {
    while (executed.get() < n) {
      Thread.sleep(10);
      double s = (System.nanoTime() - startNanos) / 1e9;
      out.printf("\r  executed %,d / %,d  %,.0f/s   ", executed.get(), n, executed.get() / s);
      out.flush();
      if (s > GUARD.toSeconds()) {
        throw new IllegalStateException(
            peer + " did not finish in 10 minutes: " + executed.get() + " of " + n);
      }
    }
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    out.printf("%n%s: %,.0f executions/s%n", peer, n / seconds);
    return n / seconds;
  }
}
