package dev.kairos.prerequisites;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Announces every test that did not run, with why, once a module's tests are done: a quick {@code
 * ./mvnw verify} on a machine without, say, Chromium still passes, but its output ends with the
 * tests it left out and how to get what they need, instead of a bare "Skipped: 6" among the
 * per-class lines (and a class skipped from its {@code @BeforeAll} is not even counted there:
 * Surefire reports "Tests run: 0, Skipped: 0" for it). Registered for every module's tests through
 * {@code META-INF/services}.
 *
 * <p>When {@code KAIROS_TEST_SKIP_LOG} names a file, the report is appended to it too: that is how
 * {@code ./test} knows, after Maven, that no test of any module was skipped.
 */
public final class SkipReport implements TestExecutionListener {
  static final String LOG_VARIABLE = "KAIROS_TEST_SKIP_LOG";

  private final PrintStream out;
  private final Path log;
  private final Map<String, Set<String>> skippedByReason = new LinkedHashMap<>();
  private final Map<String, Long> testsByReason = new LinkedHashMap<>();
  private TestPlan plan;

  public SkipReport() {
    this(System.out, logFromEnvironment());
  }

  /** A report to {@code out}, and appended to {@code log} unless that is null. */
  SkipReport(PrintStream out, Path log) {
    this.out = out;
    this.log = log;
  }

  private static Path logFromEnvironment() {
    String log = System.getenv(LOG_VARIABLE);
    return log == null || log.isBlank() ? null : Path.of(log);
  }

  @Override
  public void testPlanExecutionStarted(TestPlan testPlan) {
    plan = testPlan;
  }

  @Override
  public void executionSkipped(TestIdentifier test, String reason) {
    record(test, reason == null || reason.isBlank() ? "disabled" : reason);
  }

  @Override
  public void executionFinished(TestIdentifier test, TestExecutionResult result) {
    if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
      String reason = result.getThrowable().map(Throwable::getMessage).orElse(null);
      record(test, reason == null || reason.isBlank() ? "aborted without a reason" : reason);
    }
  }

  @Override
  public void testPlanExecutionFinished(TestPlan testPlan) {
    List<String> lines = lines();
    for (String line : lines) {
      out.println(line);
    }
    out.flush();
    if (!lines.isEmpty() && log != null) {
      try {
        Files.write(log, lines, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot append the skipped tests to " + log, e);
      }
    }
  }

  /** The report, a line each; none when every test ran. */
  List<String> lines() {
    List<String> lines = new ArrayList<>();
    if (skippedByReason.isEmpty()) {
      return lines;
    }
    long total = testsByReason.values().stream().mapToLong(Long::longValue).sum();
    lines.add("[WARNING] " + "-".repeat(72));
    lines.add(
        "[WARNING] SKIPPED: " + total + (total == 1 ? " test" : " tests") + " did not run here:");
    skippedByReason.forEach((reason, names) -> {
      long tests = testsByReason.get(reason);
      lines.add(
          "[WARNING]   "
              + tests
              + (tests == 1 ? " test" : " tests")
              + " in "
              + String.join(", ", names)
              + ": "
              + reason);
    });
    lines.add("[WARNING] ./test sets up what they need and runs every test.");
    lines.add("[WARNING] " + "-".repeat(72));
    return lines;
  }

  private void record(TestIdentifier test, String reason) {
    skippedByReason.computeIfAbsent(reason, r -> new LinkedHashSet<>()).add(name(test));
    testsByReason.merge(reason, testsUnder(test), Long::sum);
  }

  /** A skipped test counts one; a skipped class counts each test it holds (at least one). */
  private long testsUnder(TestIdentifier test) {
    if (test.isTest() || plan == null) {
      return 1;
    }
    long tests = plan.getDescendants(test).stream().filter(TestIdentifier::isTest).count();
    return Math.max(1, tests);
  }

  private static String name(TestIdentifier test) {
    TestSource source = test.getSource().orElse(null);
    if (source instanceof MethodSource method) {
      return simpleName(method.getClassName());
    }
    if (source instanceof ClassSource type) {
      return simpleName(type.getClassName());
    }
    return test.getDisplayName();
  }

  private static String simpleName(String className) {
    return className.substring(className.lastIndexOf('.') + 1);
  }
}
