package dev.kairos.core.protocol;

/**
 * A piece of an attempt's output. Chunks of one attempt are numbered from 0 by the worker so that a
 * re-sent chunk is stored once.
 *
 * @param attemptId which attempt
 * @param seq the chunk's number within the attempt
 * @param stream {@code stdout} or {@code stderr}
 * @param timestampMillis when the first line of the chunk was read (epoch millis)
 * @param text the output, UTF-8; a NUL in it is kept as U+FFFD
 * @param fence the fencing token of the claim that ran it ({@link Assignment#fence()}): output
 *     under another claim is refused
 */
public record LogChunk(
    long attemptId, int seq, String stream, long timestampMillis, String text, long fence) {
  /**
   * The longest text a server takes in one chunk, in characters: 256 Ki, four times what a worker
   * puts in one (a chunk of 64 Ki characters, or one line of at most that).
   */
  public static final int MAX_TEXT = 256 * 1024;

  public LogChunk {
    text = withoutNul(text);
  }

  /** The same chunk under the claim with fencing token {@code newFence}. */
  public LogChunk fenced(long newFence) {
    return new LogChunk(attemptId, seq, stream, timestampMillis, text, newFence);
  }

  /** A chunk as read back from the store, where the claim it came under no longer matters. */
  public LogChunk(long attemptId, int seq, String stream, long timestampMillis, String text) {
    this(attemptId, seq, stream, timestampMillis, text, 0);
  }

  /**
   * {@code text} with each NUL replaced by U+FFFD: a process may write one, PostgreSQL's text
   * cannot hold one, and every store keeps the same text.
   */
  public static String withoutNul(String text) {
    return text == null || text.indexOf('\u0000') < 0 ? text : text.replace('\u0000', '\uFFFD');
  }
}
