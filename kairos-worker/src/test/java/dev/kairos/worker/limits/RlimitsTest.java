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
}
