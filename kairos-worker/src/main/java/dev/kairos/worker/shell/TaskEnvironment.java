package dev.kairos.worker.shell;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What of the worker's own environment a task may see. A task's process starts from a short
 * allow-list of the worker's variables ({@link #ALLOWED}, and every {@code LC_*}) plus those the
 * worker was started to pass ({@code kairos worker --pass-env NAME}, or {@code PREFIX*} for every
 * variable starting with PREFIX); then come the task's own {@code env}, its secrets and its {@code
 * KAIROS_*} variables. Never the worker's token, its signing key or another job's secrets, unless
 * named with {@code --pass-env}. A secret's {@code fromEnv} (a shell task's variable, an http
 * task's header) may name only a variable tasks see.
 */
public final class TaskEnvironment {
  /** The worker's variables every task gets (where the worker has them). */
  public static final List<String> ALLOWED =
      List.of("PATH", "HOME", "LANG", "TZ", "TMPDIR", "USER");

  /** A {@code --pass-env} entry: a variable name, or a prefix followed by {@code *}. */
  public static final Pattern PASS_ENV = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*\\*?");

  private final Map<String, String> base;

  private TaskEnvironment(Map<String, String> base) {
    this.base = Map.copyOf(base);
  }

  /**
   * The environment tasks start from, out of the worker's {@code workerEnv}.
   *
   * @param passEnv the names (or {@code PREFIX*} patterns) given with {@code --pass-env}
   * @throws IllegalArgumentException for an entry that is not a variable name or a prefix with *
   */
  public static TaskEnvironment of(Map<String, String> workerEnv, Set<String> passEnv) {
    for (String p : passEnv) {
      if (!PASS_ENV.matcher(p).matches()) {
        throw new IllegalArgumentException(
            "--pass-env "
                + p
                + ": not a variable name (letters, digits and _, not starting with a digit),"
                + " nor such a prefix followed by *");
      }
    }
    Map<String, String> base = new TreeMap<>();
    workerEnv.forEach((name, value) -> {
      if (ALLOWED.contains(name) || name.startsWith("LC_") || passes(passEnv, name)) {
        base.put(name, value);
      }
    });
    return new TaskEnvironment(base);
  }

  /** From this process's environment. */
  public static TaskEnvironment ofWorker(Set<String> passEnv) {
    return of(System.getenv(), passEnv);
  }

  private static boolean passes(Set<String> passEnv, String name) {
    for (String p : passEnv) {
      if (p.endsWith("*") ? name.startsWith(p.substring(0, p.length() - 1)) : p.equals(name)) {
        return true;
      }
    }
    return false;
  }

  /** The variables a task's process starts with, before its own. */
  public Map<String, String> base() {
    return base;
  }

  /**
   * The value of a variable tasks see (allowed or passed), for a secret's {@code fromEnv}; null
   * when the worker does not pass it (or does not have it).
   */
  public String passed(String name) {
    return base.get(name);
  }
}
