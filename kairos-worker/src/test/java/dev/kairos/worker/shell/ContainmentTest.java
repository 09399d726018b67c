package dev.kairos.worker.shell;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kairos.core.protocol.Assignment;
import dev.kairos.core.spec.Resources;
import dev.kairos.core.spec.RetryPolicy;
import dev.kairos.core.spec.ShellSpec;
import dev.kairos.core.spec.TaskSpec;
import dev.kairos.prerequisites.Processes;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Processes that leave their attempt's process group ({@code setsid}, a daemon's double fork) die
 * with the attempt all the same: on timeout, on cancel, and when it ends. Real processes, found
 * afterwards by their command line ({@code sleep} with a number no other test uses).
 */
class ContainmentTest {
  static final LimitEnforcer LIMITS = LimitEnforcer.detect("containment-test");
  @TempDir Path work;
  final ShellExecutor shell = new ShellExecutor(Duration.ofSeconds(2), LIMITS);

  /** The sleep arguments this test used: what must be gone, and what to clean up after it. */
  final List<String> sleeps = new ArrayList<>();

  @AfterAll
  static void removeCgroups() {
    LIMITS.close();
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

  Outcome run(String command, Duration timeout, ExecutionContext ctx) throws InterruptedException {
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

  @Test
  void aProcessThatCallsSetsidIsKilledOnTimeout() throws Exception {
    String escaper = sleep();
    Outcome o =
        run("(setsid sleep " + escaper + " &); sleep " + sleep(), Duration.ofSeconds(1), context());
    assertThat(o).isEqualTo(new Outcome.TimedOut("timed out after 1s"));
    assertAllGone();
  }

  @Test
  void aDaemonizedGrandchildIsKilledOnTimeout() throws Exception {
    // double fork + setsid: the daemon's parent exits at once, so it is no one's descendant
    String daemon = sleep();
    Outcome o =
        run(
            "sh -c '(setsid sh -c \"sleep " + daemon + "\" &)'; sleep " + sleep(),
            Duration.ofSeconds(1),
            context());
    assertThat(o).isInstanceOf(Outcome.TimedOut.class);
    assertAllGone();
  }

  @Test
  void cancelKillsProcessesThatLeftTheGroup() throws Exception {
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
    Outcome o = run("(setsid sleep " + sleep() + " &); sleep " + sleep() + " & wait", null, ctx);
    assertThat(o).isInstanceOf(Outcome.Cancelled.class);
    assertAllGone();
  }

  @Test
  void whatAnAttemptLeftRunningDiesWhenItEnds() throws Exception {
    // the task succeeds, leaving a daemon behind: the daemon is part of the attempt all the same
    Outcome o = run("(setsid sleep " + sleep() + " &); echo done", null, context());
    assertThat(o).isInstanceOf(Outcome.Succeeded.class);
    assertAllGone();
  }
}
