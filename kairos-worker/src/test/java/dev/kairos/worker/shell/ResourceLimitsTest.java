package dev.kairos.worker.shell;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kairos.core.protocol.Assignment;
import dev.kairos.core.protocol.LogChunk;
import dev.kairos.core.spec.Resources;
import dev.kairos.core.spec.RetryPolicy;
import dev.kairos.core.spec.ShellSpec;
import dev.kairos.core.spec.TaskSpec;
import dev.kairos.worker.WorkerConfig;
import dev.kairos.worker.contain.Containment;
import dev.kairos.worker.executor.ExecutionContext;
import dev.kairos.worker.executor.LogBuffer;
import dev.kairos.worker.executor.Outcome;
import dev.kairos.worker.limits.LimitEnforcer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * resources.limits on a real process, with whatever this machine allows (cgroup v2, v1 or rlimits):
 * each test asserts what the detected enforcer promises.
 */
class ResourceLimitsTest {
  static final Containment CONTAINMENT = Containment.start(WorkerConfig.defaults().stateDir());
  static final LimitEnforcer LIMITS = LimitEnforcer.detect("limits-test");
  @TempDir Path work;
  final List<LogChunk> chunks = new CopyOnWriteArrayList<>();
  final ShellExecutor shell = new ShellExecutor(Duration.ofSeconds(2), LIMITS, CONTAINMENT);

  @AfterAll
  static void removeCgroups() {
    CONTAINMENT.close();
    LIMITS.close();
  }

  Outcome run(String command, Map<String, String> limits) throws InterruptedException {
    TaskSpec task =
        new TaskSpec(
            "main",
            List.of(),
            new ShellSpec(command, List.of(), Map.of(), null),
            RetryPolicy.NONE,
            Duration.ofSeconds(60),
            0,
            new Resources(Map.of(), limits));
    Assignment a = new Assignment(99, 9, "default", "job", 1, task, "k", Instant.now(), 0);
    return shell.execute(
        a, new ExecutionContext(Map.of(), new LogBuffer(99, 1 << 20, chunks::add), work));
  }

  String stdout() {
    return chunks.stream()
        .filter(c -> c.stream().equals("stdout"))
        .map(LogChunk::text)
        .collect(Collectors.joining("\n"));
  }

  /** tail holds a whole line in memory: 200 MiB without a newline is 200 MiB of memory. */
  static final String ALLOCATE_200M = "head -c 200000000 /dev/zero | tail > /dev/null";

  @Test
  void goingOverTheMemoryLimitEndsTheAttemptOomKilled() throws Exception {
    Outcome o = run(ALLOCATE_200M, Map.of("memory", "50Mi"));
    if (LIMITS.detectsOomKills()) {
      assertThat(o)
          .isEqualTo(new Outcome.OomKilled("killed for using more than its memory limit (50Mi)"));
    } else {
      // ulimit -v: the allocation fails inside the task, an ordinary failure
      assertThat(o).isInstanceOf(Outcome.Failed.class);
    }
  }

  @Test
  void stayingUnderTheLimitSucceeds() throws Exception {
    assertThat(run(ALLOCATE_200M, Map.of("memory", "1Gi"))).isInstanceOf(Outcome.Succeeded.class);
    assertThat(run("true", Map.of())).isInstanceOf(Outcome.Succeeded.class);
  }

  @Test
  void theTaskRunsInsideItsLimits() throws Exception {
    assertThat(run("cat /proc/self/cgroup; ulimit -v", Map.of("memory", "64Mi", "cpu", "250m")))
        .isInstanceOf(Outcome.Succeeded.class);
    String out = stdout();
    if (LIMITS.detectsOomKills()) {
      // the process sits in the attempt's own cgroup (v1: in the memory and cpu hierarchies)
      assertThat(out).contains("kairos-limits-test/attempt-99");
    } else {
      assertThat(out).contains(String.valueOf(64 * 1024));
    }
  }

  @Test
  void aPidsLimitCapsTheAttemptsProcesses() throws Exception {
    String thirty = "for i in " + "1 ".repeat(30) + "; do sleep 1 & done; wait";
    Outcome many = run(thirty, Map.of("pids", "5"));
    if (LIMITS.describe().contains("pids.max")) {
      // the shell and four children: the fifth fork fails
      assertThat(many).isInstanceOf(Outcome.Failed.class);
      assertThat(((Outcome.Failed) many).error()).contains("fork");
    }
    assertThat(run("sleep 0.1 & sleep 0.1 & wait", Map.of("pids", "5")))
        .isInstanceOf(Outcome.Succeeded.class);
  }
}
