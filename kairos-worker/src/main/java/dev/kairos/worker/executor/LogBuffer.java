package dev.kairos.worker.executor;

import dev.kairos.core.protocol.LogChunk;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Collects an attempt's output lines into numbered chunks, one stream at a time, and hands them on
 * when they are big enough, old enough ({@link #flushIfOlderThan}) or at the end. Output past a cap
 * is dropped with one marker, so a runaway task cannot fill the store.
 */
public final class LogBuffer {
  /** Longest line kept; the rest of a longer line is cut. */
  public static final int MAX_LINE = 16 * 1024;

  private static final int CHUNK_BYTES = 64 * 1024;

  private final long attemptId;
  private final long capBytes;
  private final Consumer<LogChunk> sink;
  private final StringBuilder text = new StringBuilder();
  private String stream;
  private long startedMillis;
  private int seq;
  private long total;
  private boolean truncated;
  private String lastStderr;

  public LogBuffer(long attemptId, long capBytes, Consumer<LogChunk> sink) {
    this.attemptId = attemptId;
    this.capBytes = capBytes;
    this.sink = sink;
  }

  /** Adds one line (without its line break) of {@code stream} ({@code stdout}/{@code stderr}). */
  public synchronized void line(String stream, String line) {
    if (truncated) {
      return;
    }
    String kept = line.length() > MAX_LINE ? line.substring(0, MAX_LINE) + " [line cut]" : line;
    long bytes = kept.getBytes(StandardCharsets.UTF_8).length + 1L;
    if (total + bytes > capBytes) {
      truncated = true;
      kept = "[output truncated: more than " + capBytes + " bytes]";
    }
    total += bytes;
    if (this.stream != null && !this.stream.equals(stream)) {
      flush();
    }
    if (text.isEmpty()) {
      this.stream = stream;
      startedMillis = System.currentTimeMillis();
    }
    text.append(kept).append('\n');
    if (text.length() >= CHUNK_BYTES) {
      flush();
    }
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
    sink.accept(new LogChunk(attemptId, seq++, stream, startedMillis, text.toString()));
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
