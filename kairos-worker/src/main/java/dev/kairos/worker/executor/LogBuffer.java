package dev.kairos.worker.executor;

import dev.kairos.core.protocol.LogChunk;
import java.util.function.Consumer;

/**
 * Collects an attempt's output lines into numbered chunks, one stream at a time, and hands them on
 * when they are big enough, old enough ({@link #flushIfOlderThan}) or at the end. Output past a cap
 * is dropped with one marker, so a runaway task cannot fill the store.
 */
public final class LogBuffer {
  /**
   * Longest line, in characters: the shell executor splits a longer line into lines of this length
   * as it reads it; of a longer line given to {@link #line}, the rest is cut.
   */
  public static final int MAX_LINE = 64 * 1024;

  /**
   * A chunk is handed on once it holds this many characters; it holds at most this many, or one
   * line (at most {@link #MAX_LINE} and a marker) and its line break.
   */
  private static final int CHUNK_CHARS = 64 * 1024;

  private final long attemptId;
  private final long fence;
  private final long capBytes;
  private final Consumer<LogChunk> sink;
  private final StringBuilder text = new StringBuilder();
  private String stream;
  private long startedMillis;
  private int seq;
  private long total;
  private boolean truncated;
  private String lastStderr;

  /** A buffer for output that goes nowhere but {@code sink} (tests, benches): no claim's fence. */
  public LogBuffer(long attemptId, long capBytes, Consumer<LogChunk> sink) {
    this(attemptId, 0, capBytes, sink);
  }

  /**
   * @param fence the fencing token of the claim the attempt runs under, sent with every chunk
   */
  public LogBuffer(long attemptId, long fence, long capBytes, Consumer<LogChunk> sink) {
    this.attemptId = attemptId;
    this.fence = fence;
    this.capBytes = capBytes;
    this.sink = sink;
  }

  /** Adds one line (without its line break) of {@code stream} ({@code stdout}/{@code stderr}). */
  public synchronized void line(String stream, String line) {
    if (truncated) {
      return;
    }
    String kept = line.length() > MAX_LINE ? line.substring(0, MAX_LINE) + " [line cut]" : line;
    long bytes = utf8Length(kept) + 1L;
    if (total + bytes > capBytes) {
      truncated = true;
      kept = "[output truncated: more than " + capBytes + " bytes]";
    }
    total += bytes;
    if (this.stream != null
        && (!this.stream.equals(stream) || text.length() + kept.length() >= CHUNK_CHARS)) {
      flush();
    }
    if (text.isEmpty()) {
      this.stream = stream;
      startedMillis = System.currentTimeMillis();
    }
    text.append(kept).append('\n');
    if (text.length() >= CHUNK_CHARS) {
      flush();
    }
  }

  /** The length of {@code s} in UTF-8, without encoding it (this runs for every line). */
  private static int utf8Length(String s) {
    int n = s.length();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        // 2 bytes below U+0800, else 3, and 4 for a surrogate pair (its two chars)
        n += c < 0x800 ? 1 : 2;
        if (Character.isHighSurrogate(c)
            && i + 1 < s.length()
            && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
        }
      }
    }
    return n;
  }

  /** Hands on the pending chunk if its first line is older than {@code millis}. */
  public synchronized void flushIfOlderThan(long millis) {
    if (!text.isEmpty() && System.currentTimeMillis() - startedMillis >= millis) {
      flush();
    }
  }

  /** Hands on the pending chunk, if any. */
  public synchronized void flush() {
    if (text.isEmpty()) {
      return;
    }
    sink.accept(new LogChunk(attemptId, seq++, stream, startedMillis, text.toString(), fence));
    text.setLength(0);
    stream = null;
  }

  /** The last line written to stderr, for a failure message (null if none). */
  public synchronized String lastStderrLine() {
    return lastStderr;
  }

  /** Remembers the last stderr line; called by executors alongside {@link #line}. */
  public synchronized void noteStderr(String line) {
    lastStderr = line.length() > 200 ? line.substring(0, 200) + "..." : line;
  }
}
