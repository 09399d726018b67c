package dev.kairos.server.isolation;

import dev.kairos.store.Store;
import dev.kairos.store.StoreException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.SQLTransientConnectionException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A store whose chosen calls fail, in the spirit of Temporal's fault-injecting persistence layer:
 * every other call goes to the real store. A rule names a method, the calls it applies to (by their
 * arguments) and how often it fails them: always, or the next N matching calls.
 */
final class FaultyStore implements InvocationHandler {
  private final Store real;
  private final List<Rule> rules = new CopyOnWriteArrayList<>();
  private final AtomicInteger injected = new AtomicInteger();

  private record Rule(
      String method,
      Predicate<Object[]> when,
      AtomicInteger left,
      Supplier<RuntimeException> fail) {}

  private FaultyStore(Store real) {
    this.real = real;
  }

  /** The real store behind a proxy that applies the rules added to the returned handler. */
  static FaultyStore around(Store real) {
    return new FaultyStore(real);
  }

  Store store() {
    return (Store)
        Proxy.newProxyInstance(Store.class.getClassLoader(), new Class<?>[] {Store.class}, this);
  }

  /** Fails every call of {@code method} whose arguments match. */
  FaultyStore always(String method, Predicate<Object[]> when, Supplier<RuntimeException> fail) {
    rules.add(new Rule(method, when, new AtomicInteger(Integer.MAX_VALUE), fail));
    return this;
  }

  /** Fails the next {@code times} calls of {@code method} whose arguments match. */
  FaultyStore times(
      int times, String method, Predicate<Object[]> when, Supplier<RuntimeException> fail) {
    rules.add(new Rule(method, when, new AtomicInteger(times), fail));
    return this;
  }

  /** Calls failed so far. */
  int injected() {
    return injected.get();
  }

  /** What a lost connection looks like: a store failure that may pass. */
  static RuntimeException connectionLost() {
    return new StoreException(
        "store operation failed: connection lost (injected)",
        new SQLTransientConnectionException("connection lost (injected)"),
        true);
  }

  /** What a bug in Kairos' own code looks like: fails the same way every time. */
  static RuntimeException overflow() {
    return new ArithmeticException("long overflow (injected)");
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    Object[] given = args == null ? new Object[0] : args;
    for (Rule rule : rules) {
      if (rule.method().equals(method.getName())
          && rule.when().test(given)
          && rule.left().getAndUpdate(n -> n == Integer.MAX_VALUE ? n : Math.max(0, n - 1)) > 0) {
        injected.incrementAndGet();
        throw rule.fail().get();
      }
    }
    try {
      return method.invoke(real, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
