package dev.kairos.worker.shell;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kairos.core.protocol.Assignment;
import dev.kairos.core.spec.Resources;
import dev.kairos.core.spec.RetryPolicy;
import dev.kairos.core.spec.ShellSpec;
import dev.kairos.core.spec.TaskSpec;
import dev.kairos.prerequisites.Processes;
import dev.kairos.worker.contain.Containment;
import dev.kairos.worker.executor.ExecutionContext;
import dev.kairos.worker.executor.LogBuffer;
import dev.kairos.worker.executor.Outcome;
import dev.kairos.worker.limits.LimitEnforcer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Processes that leave their attempt's process group ({@code setsid}, a daemon's double fork) die
 * with the attempt all the same: on timeout, on cancel, and when it ends. Each test runs twice:
 * with the limits this machine allows (a cgroup per attempt where the worker may create cgroups,
 * which kills them) and without cgroups (their mark in {@code /proc/<pid>/environ} finds them).
 * Real processes, found afterwards by their command line ({@code sleep} with a number no other test
 * uses).
 */
class ContainmentTest {
  static final LimitEnforcer DETECTED = LimitEnforcer.detect("containment-test");
  @TempDir static Path state;
  static Containment containment;
  @TempDir Path work;
  ShellExecutor shell;

  /** The sleep arguments this test used: what must be gone, and what to clean up after it. */
  final List<String> sleeps = new ArrayList<>();

  static Stream<Named<LimitEnforcer>> limits() {
    return Stream.of(
        Named.of("limits as detected", DETECTED),
        Named.of("without cgroups", LimitEnforcer.withoutCgroups()));
  }

  @BeforeAll
  static void contain() {
    containment = Containment.start(state);
  }

  @AfterAll
  static void removeCgroups() {
    containment.close();
    DETECTED.close();
  }

  @AfterEach
  void killWhatATestLeft() {
    sleeps.forEach(s -> Processes.kill("sleep", s));
  }

  /** A number of seconds for {@code sleep} that names one process of this test. */
  String sleep() {
    String s = "1" + (10_000_000 + ThreadLocalRandom.current().nextInt(80_000_000));
    sleeps.add(s);
    return s;
  }

  Outcome run(LimitEnforcer limits, String command, Duration timeout, ExecutionContext ctx)
      throws InterruptedException {
    shell = new ShellExecutor(Duration.ofSeconds(2), limits, containment);
    TaskSpec task =
        new TaskSpec(
            "main",
            List.of(),
            new ShellSpec(command, List.of(), Map.of(), null),
            RetryPolicy.NONE,
            timeout,
            0,
            Resources.NONE);
    long id = ThreadLocalRandom.current().nextLong(1, 1L << 40);
    return shell.execute(
        new Assignment(id, id, "default", "job", 1, task, "k", Instant.now(), 0), ctx);
  }

  ExecutionContext context() {
    return new ExecutionContext(Map.of(), new LogBuffer(1, 1 << 20, c -> {}), work);
  }

  void assertAllGone() {
    for (String s : sleeps) {
      assertThat(Processes.running("sleep", s)).as("processes of `sleep %s` alive", s).isEmpty();
    }
  }

  @ParameterizedTest
  @MethodSource("limits")
  void aProcessThatCallsSetsidIsKilledOnTimeout(LimitEnforcer limits) throws Exception {
    String escaper = sleep();
    Outcome o =
        run(
            limits,
            "(setsid sleep " + escaper + " &); sleep " + sleep(),
            Duration.ofSeconds(1),
            context());
    assertThat(o).isEqualTo(new Outcome.TimedOut("timed out after 1s"));
    assertAllGone();
  }

  @ParameterizedTest
  @MethodSource("limits")
  void aDaemonizedGrandchildIsKilledOnTimeout(LimitEnforcer limits) throws Exception {
    // double fork + setsid: the daemon's parent exits at once, so it is no one's descendant
    String daemon = sleep();
    Outcome o =
        run(
            limits,
            "sh -c '(setsid sh -c \"sleep " + daemon + "\" &)'; sleep " + sleep(),
            Duration.ofSeconds(1),
            context());
    assertThat(o).isInstanceOf(Outcome.TimedOut.class);
    assertAllGone();
  }

  @ParameterizedTest
  @MethodSource("limits")
  void cancelKillsProcessesThatLeftTheGroup(LimitEnforcer limits) throws Exception {
    ExecutionContext ctx = context();
    Thread.ofVirtual()
        .start(() -> {
          try {
            Thread.sleep(700);
          } catch (InterruptedException e) {
            return;
          }
          ctx.cancel();
        });
    Outcome o =
        run(limits, "(setsid sleep " + sleep() + " &); sleep " + sleep() + " & wait", null, ctx);
    assertThat(o).isInstanceOf(Outcome.Cancelled.class);
    assertAllGone();
  }

  @ParameterizedTest
  @MethodSource("limits")
  void whatAnAttemptLeftRunningDiesWhenItEnds(LimitEnforcer limits) throws Exception {
    // the task succeeds, leaving a daemon behind: the daemon is part of the attempt all the same
    Outcome o = run(limits, "(setsid sleep " + sleep() + " &); echo done", null, context());
    assertThat(o).isInstanceOf(Outcome.Succeeded.class);
    assertAllGone();
  }
}
