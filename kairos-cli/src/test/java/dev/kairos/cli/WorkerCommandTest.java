package dev.kairos.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kairos.core.protocol.Capacity;
import dev.kairos.worker.WorkerConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code kairos worker} flags: what they set, and the one-line usage errors for bad values. */
class WorkerCommandTest {
  static WorkerConfig config(String... flags) {
    WorkerCommand command = new WorkerCommand();
    String[] args = new String[flags.length + 2];
    args[0] = "--server";
    args[1] = "http://127.0.0.1:7070";
    System.arraycopy(flags, 0, args, 2, flags.length);
    new CommandLine(command).parseArgs(args);
    return command.config();
  }

  /** Exit code and stderr of a {@code kairos worker} that stops at its flags. */
  record Result(int code, String err) {}

  static Result run(String... flags) {
    StringWriter err = new StringWriter();
    String[] args = new String[flags.length + 3];
    args[0] = "worker";
    args[1] = "--server";
    args[2] = "http://127.0.0.1:1";
    System.arraycopy(flags, 0, args, 3, flags.length);
    int code = Main.run(args, new PrintWriter(new StringWriter()), new PrintWriter(err));
    return new Result(code, err.toString());
  }

  @Test
  void capacityClusterLabelsAndGraceAreSetFromFlags() {
    WorkerConfig c =
        config(
            "--pool", "gpu",
            "--cluster", "east",
            "--capacity", "cpu=500m,memory=4Gi,slots=8",
            "--label", "zone=eu-1a",
            "--label", "kairos.dev/gpu=",
            "--grace", "1m",
            "--heartbeat", "2s");
    assertThat(c.pool()).isEqualTo("gpu");
    assertThat(c.declaration().cluster()).isEqualTo("east");
    assertThat(c.declaration().capacity()).isEqualTo(new Capacity(500, 4L << 30, 8));
    assertThat(c.declaration().labels()).isEqualTo(Map.of("zone", "eu-1a", "kairos.dev/gpu", ""));
    assertThat(c.shutdownGrace()).isEqualTo(Duration.ofMinutes(1));
    assertThat(c.heartbeatInterval()).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void defaultsAreThisMachineSixteenSlotsAndTheServersHeartbeat() {
    WorkerConfig c = config();
    Capacity capacity = c.declaration().capacity();
    assertThat(capacity.millicores()).isEqualTo(Runtime.getRuntime().availableProcessors() * 1000L);
    assertThat(capacity.memoryBytes()).isPositive();
    assertThat(capacity.slots()).isEqualTo(16);
    assertThat(c.declaration().cluster()).isEqualTo("default");
    assertThat(c.declaration().labels()).isEmpty();
    assertThat(c.shutdownGrace()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.heartbeatInterval()).as("follows the server").isNull();
  }

  @Test
  void slotsIsAShorthandForCapacitySlots() {
    assertThat(config("--slots", "4").slots()).isEqualTo(4);
    assertThat(config("--capacity", "slots=4").slots()).isEqualTo(4);
    assertThat(config("--slots", "4", "--capacity", "cpu=1").slots()).isEqualTo(4);
    assertThat(config("--slots", "4", "--capacity", "slots=4").slots()).isEqualTo(4);
  }

  @Test
  void contradictingSlotCountsAreAUsageError() {
    Result r = run("--slots", "4", "--capacity", "slots=8");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo("kairos: --slots 4 contradicts --capacity slots=8; give the slot count once\n");
  }

  @Test
  void aBadCapacityIsOneLineNamingTheFlagAndTheKey() {
    Result r = run("--capacity", "cpu=2,memory=4GB");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).startsWith("kairos: --capacity: memory: \"4GB\": not a memory quantity");
    assertThat(r.err().lines()).hasSize(1);
    assertThat(run("--capacity", "gpu=1").err()).startsWith("kairos: --capacity: gpu=1: expected");
  }

  @Test
  void aBadLabelIsOneLineNamingTheFlag() {
    Result r = run("--label", "zone=eu 1");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).startsWith("kairos: --label: zone: \"eu 1\": not a label value");
    assertThat(r.err().lines()).hasSize(1);
    assertThat(run("--label", "zone").err())
        .startsWith("kairos: --label: \"zone\": expected key=value");
    assertThat(run("--label", "-zone=a").err())
        .startsWith("kairos: --label: \"-zone\": not a label key");
    assertThat(run("--label", "a=1", "--label", "a=2").err()).contains("a: given twice");
  }

  @Test
  void otherBadValuesAreUsageErrorsToo() {
    assertThat(run("--cluster", "East").err())
        .startsWith("kairos: --cluster: \"East\": must be a DNS label");
    assertThat(run("--grace", "soon").err())
        .startsWith("kairos: --grace: \"soon\": not a duration");
    assertThat(run("--slots", "0").code()).isEqualTo(2);
    assertThat(run("--slots", "x").err()).startsWith("kairos: Invalid value for option '--slots'");
  }

  @Test
  void everyNumberAndDurationFlagHasARangeTheErrorNames() {
    assertThat(run("--grace", "2h").err())
        .isEqualTo(
            "kairos: --grace: \"2h\": is more than the largest allowed, 1h (allowed: 0s to 1h)\n");
    assertThat(run("--heartbeat", "0s").err())
        .isEqualTo(
            "kairos: --heartbeat: \"0s\": is less than the smallest allowed, 100ms"
                + " (allowed: 100ms to 1h)\n");
    assertThat(run("--heartbeat", "999999999999d").err())
        .startsWith("kairos: --heartbeat: \"999999999999d\": is more than the largest allowed, 1h");
    assertThat(run("--capacity", "memory=2Pi").err())
        .startsWith("kairos: --capacity: memory: \"2Pi\": is more than the largest allowed, 1Pi");
    assertThat(run("--capacity", "cpu=99999999999999999999m").err())
        .startsWith("kairos: --capacity: cpu: \"99999999999999999999m\": is more than the largest");
    assertThat(run("--slots", "100001").err()).startsWith("kairos: --slots: must be 1 to 100000");
  }
}
