package dev.kairos.bench;

/**
 * What a peer's drain achieved: all N tasks, or as many as ran before the guard stopped it.
 *
 * @param target tasks enqueued (N)
 * @param executed tasks the peer executed before the measurement ended
 * @param seconds from the peer's start to the end of the measurement
 */
public record PeerResult(int target, long executed, double seconds) {
  /** Whether every enqueued task ran, rather than the guard ending the drain. */
  public boolean complete() {
    return executed >= target;
  }

  public double perSecond() {
    return executed / seconds;
  }
}
