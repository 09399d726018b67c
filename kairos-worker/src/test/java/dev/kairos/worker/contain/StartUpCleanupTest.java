package dev.kairos.worker.contain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kairos.prerequisites.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker that starts kills what the attempts of a dead worker of its host left running, and
 * nothing of a live one's or of one it does not know. Real processes carrying marks, as a worker's
 * attempts' would.
 */
class StartUpCleanupTest {
  @TempDir Path state;
  final List<String> sleeps = new ArrayList<>();
  final List<Process> started = new ArrayList<>();

  @AfterEach
  void killWhatATestLeft() {
    sleeps.forEach(s -> Processes.kill("sleep", s));
  }

  /** Starts {@code sleep} in a session of its own, carrying {@code mark}; returns its argument. */
  String markedSleep(String mark) throws Exception {
    String s = "3" + (10_000_000 + ThreadLocalRandom.current().nextInt(80_000_000));
    sleeps.add(s);
    // the shell forks sleep in a new session and exits: the sleep is nobody's child, as a daemon
    ProcessBuilder b = new ProcessBuilder("/bin/sh", "-c", "setsid sleep " + s + " &");
    b.environment().put(Containment.MARK, mark);
    Process p = b.start();
    p.waitFor(5, TimeUnit.SECONDS);
    started.add(p);
    for (int i = 0; i < 100 && Processes.running("sleep", s).isEmpty(); i++) {
      Thread.sleep(10);
    }
    assertThat(Processes.running("sleep", s)).hasSize(1);
    return s;
  }

  @Test
  void killsWhatADeadWorkersAttemptsLeftAndNothingOfLiveOrUnknownWorkers() throws Exception {
    Registry registry = new Registry(state);
    long me = ProcessHandle.current().pid();
    // this process, but started at another time: a worker whose pid has been reused since
    Instance dead = new Instance(me, 1, "dead");
    Instance live = Instance.self(new Random());
    Instance unknown = new Instance(me, 2, "unknown"); // never recorded here
    registry.add(dead);
    registry.add(live);
    String ofDead = markedSleep(dead.markPrefix() + 7);
    String ofDeadToo = markedSleep(dead.markPrefix() + 8);
    String ofLive = markedSleep(live.markPrefix() + 7);
    String ofUnknown = markedSleep(unknown.markPrefix() + 7);

    try (Containment starting = Containment.start(state)) {
      assertThat(Processes.running("sleep", ofDead)).isEmpty();
      assertThat(Processes.running("sleep", ofDeadToo)).isEmpty();
      assertThat(Processes.running("sleep", ofLive)).hasSize(1);
      assertThat(Processes.running("sleep", ofUnknown)).hasSize(1);
      assertThat(state.resolve(dead.id())).as("cleaned up after: forgotten").doesNotExist();
      assertThat(state.resolve(live.id())).exists();
      try (var files = Files.list(state)) {
        assertThat(files).hasSize(2); // the live one and the one starting; the dead one forgotten
      }
    }
    assertThat(Processes.running("sleep", ofLive)).as("another live worker's").hasSize(1);
  }

  @Test
  void aWorkerThatStopsRemovesItsRecordAndKillsWhatItsAttemptsLeft() throws Exception {
    Containment c = Containment.start(state);
    String left = markedSleep(c.markPrefix() + 42);
    c.close();
    assertThat(Processes.running("sleep", left)).isEmpty();
    try (var files = Files.list(state)) {
      assertThat(files).isEmpty();
    }
  }
}
