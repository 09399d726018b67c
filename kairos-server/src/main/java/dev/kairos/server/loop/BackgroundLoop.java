package dev.kairos.server.loop;

import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A background duty run on its own thread until stopped: each round does some work and says how
 * long to wait before the next. A round that throws is logged and retried after a back-off, so a
 * database outage pauses the duty instead of killing it.
 */
public abstract class BackgroundLoop {
  private static final Logger log = LoggerFactory.getLogger(BackgroundLoop.class);
  private static final long MAX_ERROR_BACKOFF_MILLIS = 5_000;

  private final String name;
  private final Signal wakeup;
  private volatile boolean running;
  private Thread thread;

  protected BackgroundLoop(String name, Signal wakeup) {
    this.name = name;
    this.wakeup = wakeup;
  }

  /**
   * Does one round of work.
   *
   * @return milliseconds to wait before the next round (0 = go on at once); a signal on the wake-up
   *     ends the wait early
   */
  protected abstract long runOnce() throws Exception;

  /**
   * Runs one round on the caller's thread, for a test or a manual scheduler that drives the duty
   * with a settable clock instead of letting it run on its own thread. Not for a started loop.
   *
   * @return what {@link #runOnce} returned; a failure is thrown, not retried
   */
  public final long runRound() throws Exception {
    if (running) {
      throw new IllegalStateException(name + " runs on its own thread");
    }
    return runOnce();
  }

  public final synchronized void start() {
    if (running) {
      return;
    }
    running = true;
    thread = Thread.ofPlatform().name("kairos-" + name).daemon(true).start(this::loop);
  }

  public final void stop() {
    Thread t;
    synchronized (this) {
      running = false;
      t = thread;
    }
    if (t != null) {
      t.interrupt();
      try {
        t.join(TimeUnit.SECONDS.toMillis(10));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void loop() {
    long errorBackoff = 100;
    boolean failing = false;
    while (running) {
      long seen = wakeup.generation();
      long waitMillis;
      try {
        waitMillis = runOnce();
        if (failing) {
          log.info("{} recovered", name);
          failing = false;
        }
        errorBackoff = 100;
      } catch (InterruptedException e) {
        break;
      } catch (Exception e) {
        if (!running) {
          break;
        }
        if (!failing) {
          log.warn("{} failed, retrying with back-off: {}", name, e.toString());
          failing = true;
        }
        waitMillis = errorBackoff;
        errorBackoff = Math.min(MAX_ERROR_BACKOFF_MILLIS, errorBackoff * 2);
      }
      if (waitMillis > 0) {
        try {
          wakeup.awaitChange(seen, waitMillis);
        } catch (InterruptedException e) {
          break;
        }
      }
    }
  }
}
