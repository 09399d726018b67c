package dev.kairos.server.isolation;

import dev.kairos.core.protocol.RefusedException;
import dev.kairos.store.StoreException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BinaryOperator;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one item's failure inside that item. The background loops (lease reaper, trigger ticker,
 * held-run releaser, alert duty) and the recording of completions hand their batch calls here. When
 * a batch fails for a reason that may pass (a lost connection, a deadlock, a timeout: see {@link
 * StoreException#isTransient()}), the failure is thrown back and the caller tries the same again
 * later, so nothing is dropped. When it fails for a reason that will not pass by itself (a bug, a
 * value out of range, stored data that no longer reads), each item is tried alone, and an item that
 * fails alone is <em>set aside</em>: the caller ends it with the reason (an attempt or a run
 * FAILED, a schedule stopped), it is counted in {@code kairos_internal_errors_total{loop}} and
 * logged, and the other items go on. So one job's poison never stalls every job's results, and the
 * same error is never retried forever.
 *
 * <p>A failure of the system is not the items' fault: after {@value #SYSTEMIC_AFTER} items of one
 * loop were set aside in a row without any success between them, the next failure is thrown back
 * instead (the loop backs off and tries again), so that a dropped table or a broken migration stops
 * the loop loudly rather than failing every run one by one.
 */
public final class Isolation {
  private static final Logger log = LoggerFactory.getLogger(Isolation.class);

  /** Items set aside in a row, in one loop, after which failures are the system's. */
  static final int SYSTEMIC_AFTER = 3;

  /** The longest error message kept in a reason: the rest of a long message is cut. */
  private static final int MAX_MESSAGE = 300;

  private final MeterRegistry registry;
  private final Map<String, AtomicInteger> streaks = new ConcurrentHashMap<>();

  public Isolation(MeterRegistry registry) {
    this.registry = registry;
  }

  /** How an item that failed alone is ended, with the reason that names the internal error. */
  @FunctionalInterface
  public interface SetAside<T> {
    void setAside(T item, String reason);
  }

  /**
   * Runs {@code batch}. If it fails for a reason that will not pass, runs {@code single} for each
   * of {@code items} (asked for only then) and sets aside those that fail alone.
   *
   * @param loop the loop's name: the {@code loop} label of the counter, and part of the reason
   * @param merge combines the results of items run alone; {@code none} is the result of none
   * @return the batch's result, or the merged results of the items that went through alone
   * @throws RuntimeException a failure that may pass, of the batch or of an item run alone
   */
  public <T, R> R run(
      String loop,
      Supplier<R> batch,
      Supplier<List<T>> items,
      Function<T, R> single,
      SetAside<T> setAside,
      R none,
      BinaryOperator<R> merge) {
    RuntimeException failure;
    try {
      R result = batch.get();
      succeeded(loop);
      return result;
    } catch (RuntimeException e) {
      // a refusal is the caller's to handle (a worker drops what it sent), not a failure here
      if (isTransient(e) || e instanceof RefusedException) {
        throw e;
      }
      failure = e;
    }
    List<T> alone = items.get();
    log.warn(
        "{}: a batch failed for a reason that will not pass; trying its {} items one by one: {}",
        loop,
        alone.size(),
        describe(failure));
    R result = none;
    for (T item : alone) {
      try {
        R r = single.apply(item);
        succeeded(loop);
        result = merge.apply(result, r);
      } catch (RuntimeException e) {
        if (isTransient(e) || e instanceof RefusedException) {
          throw e;
        }
        if (streaks.computeIfAbsent(loop, l -> new AtomicInteger()).get() >= SYSTEMIC_AFTER) {
          log.error(
              "{}: {} items in a row failed alone; taking it for a failure of the system, not of"
                  + " the items, and trying again later: {}",
              loop,
              SYSTEMIC_AFTER,
              describe(e));
          throw e;
        }
        String reason = "internal error in " + loop + ": " + describe(e);
        setAside.setAside(item, reason);
        streaks.get(loop).incrementAndGet();
        counter(loop).increment();
        log.error("{}: set aside item={} reason={}", loop, item, reason, e);
      }
    }
    return result;
  }

  /** Counts an item set aside outside {@link #run}: a failure the caller isolated itself. */
  public void setAside(String loop, Object item, RuntimeException e) {
    counter(loop).increment();
    log.error("{}: set aside item={} reason={}", loop, item, describe(e), e);
  }

  /** Internal errors set aside by {@code loop} so far (for tests and the bench). */
  public double count(String loop) {
    return counter(loop).count();
  }

  private Counter counter(String loop) {
    return Counter.builder("kairos.internal.errors")
        .description(
            "Items (attempts, schedules, held runs, alert events) that failed alone for a reason"
                + " that will not pass, and were set aside so that the rest could go on")
        .tag("loop", loop)
        .register(registry);
  }

  private void succeeded(String loop) {
    AtomicInteger streak = streaks.get(loop);
    if (streak != null) {
      streak.set(0);
    }
  }

  /**
   * Whether a failure may pass by itself: a store failure that says so, or a transient or
   * recoverable SQL exception anywhere in its causes. Anything else (an exception of Kairos' own
   * code, bad stored data) fails the same way again.
   */
  public static boolean isTransient(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof StoreException s) {
        return s.isTransient();
      }
      if (t instanceof SQLTransientException || t instanceof SQLRecoverableException) {
        return true;
      }
    }
    return false;
  }

  /** The exception as a reason: its type and first line, cut to a few hundred characters. */
  static String describe(Throwable e) {
    String message = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
    if (message.length() > MAX_MESSAGE) {
      message = message.substring(0, MAX_MESSAGE) + "...";
    }
    String type = e.getClass().getSimpleName();
    return message.isEmpty() ? type : type + ": " + message;
  }
}
