package dev.kairos.worker.shell;

import dev.kairos.worker.secrets.Secrets;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.function.UnaryOperator;

/**
 * Reads a process's output as lines of at most {@code maxChars} characters, with secrets masked, in
 * memory bounded by {@code maxChars} whatever the process prints. A longer line (a task that prints
 * 2.5 GB without a line break) comes out as several lines: {@link java.io.BufferedReader#readLine}
 * would hold it whole, and took a server from 200 MB to an OutOfMemoryError.
 *
 * <p>Lines end at {@code \n}, {@code \r} or {@code \r\n}, as with {@code readLine}. Invalid UTF-8
 * becomes U+FFFD. A piece of a long line is masked with {@code holdBack} characters held back for
 * the next piece (the longest secret's length less one), so that a secret across the cut is still
 * masked whole.
 */
final class OutputLines {
  private final Reader in;
  private final int maxChars;
  private final UnaryOperator<String> mask;
  private final int holdBack;
  private final char[] buf = new char[8192];
  private final StringBuilder line = new StringBuilder();
  private final ArrayDeque<String> ready = new ArrayDeque<>();
  private int pos;
  private int end;
  private boolean eof;
  private boolean afterCr;

  /**
   * @param maxChars the longest line given out; longer lines are split
   * @param mask applied to every line, e.g. {@link Secrets#mask}
   * @param holdBack the longest text {@code mask} replaces, less one (0 when it replaces nothing)
   */
  OutputLines(InputStream in, int maxChars, UnaryOperator<String> mask, int holdBack) {
    if (maxChars < 2) {
      throw new IllegalArgumentException("maxChars must be at least 2");
    }
    this.in = new InputStreamReader(in, StandardCharsets.UTF_8);
    this.maxChars = maxChars;
    this.mask = mask;
    // a secret longer than half a line would stall the cut; such a secret is masked where whole
    this.holdBack = Math.min(Math.max(holdBack, 0), maxChars / 2);
  }

  /** With the secrets of an attempt masked. */
  OutputLines(InputStream in, int maxChars, Secrets secrets) {
    this(in, maxChars, secrets::mask, Math.max(secrets.longest() - 1, 0));
  }

  /** The next line (without its line break), or null at the end of the stream. */
  String next() throws IOException {
    if (!ready.isEmpty()) {
      return ready.poll();
    }
    while (true) {
      if (pos == end && !fill()) {
        if (line.isEmpty()) {
          return null;
        }
        String last = line.toString();
        line.setLength(0);
        return give(mask.apply(last));
      }
      if (afterCr) {
        afterCr = false;
        if (buf[pos] == '\n') {
          pos++;
          continue;
        }
      }
      int limit = Math.min(end, pos + Math.max(maxChars - line.length(), 0));
      int i = pos;
      while (i < limit && buf[i] != '\n' && buf[i] != '\r') {
        i++;
      }
      if (i < end && (buf[i] == '\n' || buf[i] == '\r')) {
        String text;
        if (line.isEmpty()) { // the usual case: the whole line is in the buffer
          text = new String(buf, pos, i - pos);
        } else {
          text = line.append(buf, pos, i - pos).toString();
          line.setLength(0);
        }
        afterCr = buf[i] == '\r';
        pos = i + 1;
        return give(mask.apply(text));
      }
      line.append(buf, pos, i - pos);
      pos = i;
      if (pos < end) {
        cut(); // the line is full and goes on
        if (!ready.isEmpty()) {
          return ready.poll();
        }
      }
    }
  }

  /** Gives out the full line buffer but its last {@code holdBack} characters (masked as one). */
  private void cut() {
    String masked = mask.apply(line.toString());
    int at = masked.length() - holdBack;
    if (at > 0 && Character.isHighSurrogate(masked.charAt(at - 1))) {
      at--;
    }
    if (at <= 0) { // masking shortened it: read on
      line.setLength(0);
      line.append(masked);
      return;
    }
    // what is held back is the unmasked start of a secret, or masked text: masking it again with
    // what follows leaves it as it is
    queue(masked.substring(0, at));
    line.setLength(0);
    line.append(masked, at, masked.length());
  }

  /** Masked text as lines of at most maxChars (a mask may have lengthened it): the first. */
  private String give(String masked) {
    if (masked.length() <= maxChars) {
      return masked;
    }
    queue(masked);
    return ready.poll();
  }

  /** Queues masked text in lines of at most maxChars. */
  private void queue(String masked) {
    int from = 0;
    while (from < masked.length()) {
      int to = Math.min(from + maxChars, masked.length());
      if (to < masked.length() && Character.isHighSurrogate(masked.charAt(to - 1))) {
        to--;
      }
      ready.add(masked.substring(from, to));
      from = to;
    }
  }

  private boolean fill() throws IOException {
    if (eof) {
      return false;
    }
    int n = in.read(buf, 0, buf.length);
    if (n < 0) {
      eof = true;
      return false;
    }
    pos = 0;
    end = n;
    return true;
  }
}
