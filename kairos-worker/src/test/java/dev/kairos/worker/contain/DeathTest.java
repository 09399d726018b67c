package dev.kairos.worker.contain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kairos.prerequisites.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What kills an attempt's processes when its worker is gone without killing them itself: the
 * parent-death signal of its first process, and the watchdog for the rest. Here the worker's end is
 * played by closing the launcher thread and the watchdog's input, which is what a dead process's
 * end looks like to them; ContainmentIT kills real workers with SIGKILL.
 */
class DeathTest {
  final List<String> sleeps = new ArrayList<>();

  @AfterEach
  void killWhatATestLeft() {
    sleeps.forEach(s -> Processes.kill("sleep", s));
  }

  String sleep() {
    String s = "4" + (10_000_000 + ThreadLocalRandom.current().nextInt(80_000_000));
    sleeps.add(s);
    return s;
  }

  @Test
  void aProcessStartedWithAParentDeathSignalDiesWhenTheLauncherThreadEnds() throws Exception {
    Path setpriv = Path.of("/usr/bin/setpriv");
    assumeTrue(Files.isExecutable(setpriv), "util-linux setpriv is not installed");
    Launcher launcher = new Launcher("test-launcher");
    Process p =
        launcher.start(
            new ProcessBuilder(setpriv.toString(), "--pdeathsig", "KILL", "sleep", sleep()));
    // the thread that asked is long gone by now, as an attempt's virtual thread may be
    Thread.ofPlatform().start(() -> {}).join();
    assertThat(p.waitFor(300, TimeUnit.MILLISECONDS)).as("alive while the launcher runs").isFalse();
    launcher.close();
    assertThat(p.waitFor(5, TimeUnit.SECONDS)).as("killed when the launcher thread ended").isTrue();
    assertThat(p.exitValue()).isEqualTo(128 + 9);
  }

  @Test
  void theWatchdogKillsTheMarkedProcessesOnceTheWorkerIsGone() throws Exception {
    String prefix = "99-1-watchdogtest/";
    String daemon = sleep();
    String other = sleep();
    ProcessBuilder b = new ProcessBuilder("/bin/sh", "-c", "setsid sleep " + daemon + " &");
    b.environment().put(Containment.MARK, prefix + 5);
    b.start().waitFor(5, TimeUnit.SECONDS);
    ProcessBuilder unmarked = new ProcessBuilder("/bin/sh", "-c", "setsid sleep " + other + " &");
    unmarked.environment().put(Containment.MARK, "99-1-someoneelse/5");
    unmarked.start().waitFor(5, TimeUnit.SECONDS);
    Watchdog watchdog = Watchdog.start(Containment.MARK, prefix, null);
    Thread.sleep(200);
    assertThat(Processes.running("sleep", daemon)).as("alive while the worker is").hasSize(1);
    watchdog.close();
    for (int i = 0; i < 200 && !Processes.running("sleep", daemon).isEmpty(); i++) {
      Thread.sleep(10);
    }
    assertThat(Processes.running("sleep", daemon)).isEmpty();
    assertThat(Processes.running("sleep", other)).as("another worker's").hasSize(1);
  }
}
