package dev.kairos.worker.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fallback without cgroups, run for real whatever this machine has. */
class RlimitsTest {
  static String run(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    return out.trim();
  }

  @Test
  void memoryIsCappedByUlimitAndASmallCpuLimitLowersThePriority() throws Exception {
    LimitEnforcer.AttemptLimits limits = new Rlimits().apply(1, 64L << 20, 500L, null);
    String out = run(limits.wrap(List.of("/bin/sh", "-c", "ulimit -v; nice")));
    assertThat(out.lines().toList()).containsExactly(String.valueOf(64 * 1024), "10");
    assertThat(limits.oomKilled()).isFalse();
    assertThat(new Rlimits().detectsOomKills()).isFalse();
  }

  @Test
  void noLimitsLeaveTheCommandAsItIs() throws Exception {
    List<String> command = List.of("/bin/echo", "$(id)");
    assertThat(new Rlimits().apply(2, null, null, null).wrap(command)).isEqualTo(command);
    assertThat(new Rlimits().apply(3, null, 2_000L, null).wrap(command)).isEqualTo(command);
    // user data stays an argument: the wrapper never puts it in a script
    assertThat(run(new Rlimits().apply(4, 1L << 30, null, null).wrap(command))).isEqualTo("$(id)");
  }

  @Test
  void aPidsLimitIsTheUsersTaskCountPlusTheLimitByPrlimit() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(Nproc.available(), "prlimit is not installed");
    List<String> wrapped =
        new Rlimits().apply(5, null, null, 7L).wrap(List.of("cat", "/proc/self/limits"));
    assertThat(wrapped.get(0)).endsWith("/prlimit");
    long limit = Long.parseLong(wrapped.get(1).replaceAll("--nproc=(\\d+):\\d+", "$1"));
    // the kernel counts every task of the user: the JVM's threads alone are more than 7
    assertThat(limit).isGreaterThan(7 + Thread.activeCount());
    String maxProcesses =
        run(wrapped).lines().filter(l -> l.startsWith("Max processes")).findFirst().orElseThrow();
    assertThat(maxProcesses.split("\\s+")).contains(String.valueOf(limit));
  }
}
