package dev.kairos.core;

/** TEMPORARY latency trace. */
public final class Trace {
  public static final boolean ON = System.getenv("KTRACE") != null;
  private static final long T0 = System.nanoTime();
  private static final java.util.concurrent.ConcurrentLinkedQueue<String> LINES =
      new java.util.concurrent.ConcurrentLinkedQueue<>();

  public static void t(String what, Object... args) {
    if (ON) {
      LINES.add(
          String.format(
              java.util.Locale.ROOT,
              "%9.2f %s %s",
              (System.nanoTime() - T0) / 1e6,
              Thread.currentThread().getName(),
              String.format(what, args)));
    }
  }

  public static void dump(java.io.PrintWriter out) {
    String l;
    while ((l = LINES.poll()) != null) out.println(l);
    out.flush();
  }
}
