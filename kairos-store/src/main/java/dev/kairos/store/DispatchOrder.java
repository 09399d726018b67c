package dev.kairos.store;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** How a pool orders its waiting attempts of the same effective priority. */
public enum DispatchOrder {
  /** The one due first goes first. */
  FIFO,
  /**
   * The one predicted to take least time goes first, each held back at most a bounded time (see
   * {@link PoolSettings#rank(int, long, double)}).
   */
  SHORTEST_PREDICTED_FIRST;

  /** As written in the API and CLI: {@code fifo}, {@code shortest-predicted-first}. */
  public String spelling() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  public static Optional<DispatchOrder> parse(String text) {
    return Arrays.stream(values()).filter(o -> o.spelling().equals(text)).findFirst();
  }

  /** The spellings, for error messages: {@code fifo, shortest-predicted-first}. */
  public static String allowed() {
    return String.join(", ", Arrays.stream(values()).map(DispatchOrder::spelling).toList());
  }
}
