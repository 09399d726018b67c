package dev.kairos.bench;

import java.io.Console;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The progress line of long CLI work. On a terminal it is rewritten in place (a carriage return
 * before each update); anywhere else (a file, a pipe, a CI log) a plain line is written at most
 * every {@link #EVERY}, and the last state once more at the end, so a log holds a readable trace
 * without control characters.
 */
public final class Progress {
  /** How often a line is written when the output is not a terminal. */
  static final Duration EVERY = Duration.ofSeconds(10);

  private final PrintWriter out;
  private final boolean terminal;
  private final LongSupplier nanos;
  private long shownAt;
  private String last;
  private boolean written;
  private boolean lastShown = true;

  Progress(PrintWriter out, boolean terminal, LongSupplier nanos) {
    this.out = out;
    this.terminal = terminal;
    this.nanos = nanos;
  }

  /** Progress written to {@code out}, rewritten in place if standard output is a terminal. */
  public static Progress to(PrintWriter out) {
    return new Progress(out, stdoutIsTerminal(), System::nanoTime);
  }

  /** Shows the current state (one line, without a line break). */
  public synchronized void show(String line) {
    last = line.strip();
    if (terminal) {
      out.print("\r  " + last + "   ");
      out.flush();
      lastShown = false; // the line is open: end() closes it
      return;
    }
    long now = nanos.getAsLong();
    if (written && now - shownAt < EVERY.toNanos()) {
      lastShown = false;
      return;
    }
    out.println("  " + last);
    out.flush();
    written = true;
    shownAt = now;
    lastShown = true;
  }

  /** Ends the progress: closes the line on a terminal, else writes the last state if unwritten. */
  public synchronized void end() {
    if (last != null && !lastShown) {
      out.println(terminal ? "" : "  " + last);
      out.flush();
    }
    last = null;
    written = false;
    lastShown = true;
  }

  /**
   * Whether standard output is an interactive terminal. Before Java 22 {@link System#console()} is
   * null unless it is; from Java 22 it may be a console on a pipe too, and {@code isTerminal()}
   * says.
   */
  static boolean stdoutIsTerminal() {
    Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
    } catch (ReflectiveOperationException e) {
      return true;
    }
  }
}
