package dev.kairos.worker.contain;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a worker's attempts' processes from outliving them, without root. Every process an attempt
 * starts carries a mark in its environment, {@code KAIROS_ATTEMPT_MARK=<instance>/<attempt id>},
 * which its children inherit whatever they do with process groups and sessions. Then:
 *
 * <ul>
 *   <li>to kill an attempt, every process whose {@code /proc/<pid>/environ} carries its mark is
 *       killed, with its descendants and the members of its process group, round after round until
 *       none is left ({@link #kill});
 *   <li>each attempt's first process is started with a parent-death signal ({@code setpriv
 *       --pdeathsig KILL}, when util-linux's setpriv is installed) from a thread that lives as long
 *       as the worker, and a {@link Watchdog} process kills the rest of them when the worker's
 *       process dies (SIGKILL included);
 *   <li>a worker records itself in a directory shared by the workers of the host; one that starts
 *       kills what the attempts of recorded workers whose process is gone left running.
 * </ul>
 *
 * Where the worker may create cgroups, an attempt's cgroup holds all its processes, and is what
 * kills them (see {@code LimitEnforcer}); the mark is then a second net.
 */
public final class Containment implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Containment.class);

  /** The environment variable that marks an attempt's processes. */
  public static final String MARK = "KAIROS_ATTEMPT_MARK";

  /** How long a kill may take before it gives up on processes that keep coming back. */
  static final Duration KILL_BOUND = Duration.ofSeconds(10);

  private static final String SETSID = onPath("setsid");
  private static final String SETPRIV = onPath("setpriv");

  private final Instance self;
  private final Registry registry;
  private final boolean registered;
  private final List<String> prefix;
  private final Launcher launcher;
  private final Watchdog watchdog;

  /**
   * A process an attempt started, contained.
   *
   * @param mark the value of {@link #MARK} it and its descendants carry
   * @param startTicks when it started (clock ticks since boot), or 0 if it was gone before that was
   *     read: none of the attempt's processes is older
   */
  public record Launched(Process process, String mark, long startTicks) {}

  private Containment(Instance self, Registry registry, boolean registered, boolean pdeathsig) {
    this.self = self;
    this.registry = registry;
    this.registered = registered;
    List<String> p = new ArrayList<>();
    if (pdeathsig) {
      p.addAll(List.of(SETPRIV, "--pdeathsig", "KILL"));
    }
    if (SETSID != null) {
      // its own session and process group, away from the worker's terminal signals
      p.add(SETSID);
    }
    this.prefix = List.copyOf(p);
    this.launcher = new Launcher("kairos-process-launcher");
    this.watchdog = startWatchdog(self);
  }

  /**
   * Sets up containment for one worker: records it in {@code stateDir} (shared by the workers of
   * the host; created if missing), kills what the attempts of dead workers recorded there left
   * running, and starts the launcher thread and the watchdog. Logs what it could set up.
   */
  public static Containment start(Path stateDir) {
    Registry registry = new Registry(stateDir);
    Instance self = Instance.self(new SecureRandom());
    boolean registered;
    try {
      registry.add(self);
      registered = true;
    } catch (IOException e) {
      log.warn(
          "cannot record this worker in {}: a worker started here after it dies will not clean up"
              + " after it: {}",
          stateDir,
          e.toString());
      registered = false;
    }
    cleanUpAfterDeadWorkers(registry);
    boolean pdeathsig = pdeathsigWorks();
    Containment c = new Containment(self, registry, registered, pdeathsig);
    log.info(
        "containment: attempts' processes marked {}={}<attempt>; parent-death signal {}; watchdog"
            + " {}; workers of this host recorded in {}",
        MARK,
        self.markPrefix(),
        pdeathsig ? "by setpriv" : "not available (no setpriv with --pdeathsig on PATH)",
        c.watchdog == null ? "not started" : "pid " + c.watchdog.pid(),
        registered ? stateDir : "(nowhere)");
    return c;
  }

  private static void cleanUpAfterDeadWorkers(Registry registry) {
    for (Instance dead : registry.dead()) {
      String prefix = dead.markPrefix();
      int killed = Sweep.kill(ofInstance(prefix), KILL_BOUND);
      if (killed != 0) {
        log.warn(
            "killed processes that a dead worker's attempts left running count={} instance={}",
            killed < 0 ? "some (others would not die)" : killed,
            dead.id());
      }
      if (killed >= 0) {
        registry.remove(dead);
      }
    }
  }

  private static Watchdog startWatchdog(Instance self) {
    try {
      return Watchdog.start(MARK, self.markPrefix(), SETSID);
    } catch (IOException e) {
      log.warn(
          "cannot start the watchdog: if this worker dies, its attempts' processes live on until"
              + " another worker starts on this host: {}",
          e.toString());
      return null;
    }
  }

  /**
   * Starts an attempt's command contained: marked, in a session of its own, with a parent-death
   * signal where setpriv allows, from the launcher thread.
   */
  public Launched launch(ProcessBuilder builder, long attemptId) throws IOException {
    String mark = self.markPrefix() + attemptId;
    List<String> command = new ArrayList<>(prefix);
    command.addAll(builder.command());
    builder.command(command);
    builder.environment().put(MARK, mark);
    Process process = launcher.start(builder);
    ProcTable.Proc p = ProcTable.read(process.pid());
    return new Launched(process, mark, p == null ? 0 : p.startTicks());
  }

  /** What the marks of this worker's attempts start with. */
  String markPrefix() {
    return self.markPrefix();
  }

  /** SIGTERM, once, to every process of the attempt. */
  public void terminate(Launched attempt) {
    Sweep.terminate(of(attempt, 0));
  }

  /** Whether any process of the attempt is alive. */
  public boolean anyAlive(Launched attempt) {
    return !Sweep.find(of(attempt, 0)).isEmpty();
  }

  /**
   * SIGKILL to every process of the attempt until none is left. False when some were still alive
   * after {@link #KILL_BOUND} (logged).
   */
  public boolean kill(Launched attempt) {
    int killed = Sweep.kill(of(attempt, 0), KILL_BOUND);
    if (killed < 0) {
      log.warn("processes of the attempt would not die mark={}", attempt.mark());
    }
    return killed >= 0;
  }

  /**
   * SIGKILL to whatever of the attempt outlived its first process (a daemon it started), searching
   * only the processes started after it unless pids have wrapped around meanwhile: the cheap search
   * for the end of every attempt. {@link #kill} is the thorough one.
   */
  public boolean killLeftovers(Launched attempt) {
    int killed = Sweep.kill(of(attempt, attempt.process().pid()), KILL_BOUND);
    if (killed < 0) {
      log.warn("processes the attempt left would not die mark={}", attempt.mark());
    }
    return killed >= 0;
  }

  /**
   * The processes of an attempt: those carrying its mark (none of which is older than its first
   * process, so only newer ones' environments are read), the members of its process group (its
   * first process leads one, by setsid), and (by the sweep) their descendants.
   */
  private static Sweep.Target of(Launched attempt, long fromPid) {
    Predicate<ProcTable.Proc> marked =
        p ->
            p.startTicks() >= attempt.startTicks()
                && attempt.mark().equals(ProcTable.variable(p.pid(), MARK));
    return new Sweep.Target(marked, attempt.process().pid(), fromPid);
  }

  /** The processes of every attempt of a worker instance. */
  private static Sweep.Target ofInstance(String markPrefix) {
    return new Sweep.Target(
        p -> {
          String mark = ProcTable.variable(p.pid(), MARK);
          return mark != null && mark.startsWith(markPrefix);
        },
        0,
        0);
  }

  /**
   * Kills every process of this worker's attempts that is still alive, stops the launcher and the
   * watchdog, and removes the worker's record. Called once, when the worker has stopped.
   */
  @Override
  public void close() {
    Sweep.kill(ofInstance(self.markPrefix()), KILL_BOUND);
    launcher.close();
    if (watchdog != null) {
      watchdog.close();
    }
    if (registered) {
      registry.remove(self);
    }
  }

  /** Whether {@code setpriv --pdeathsig KILL} runs here (util-linux 2.33 and later). */
  private static boolean pdeathsigWorks() {
    if (SETPRIV == null) {
      return false;
    }
    try {
      Process probe =
          new ProcessBuilder(SETPRIV, "--pdeathsig", "KILL", "true")
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      return probe.waitFor(5, TimeUnit.SECONDS) && probe.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static String onPath(String name) {
    List<String> dirs = new ArrayList<>();
    String path = System.getenv("PATH");
    if (path != null) {
      dirs.addAll(List.of(path.split(":")));
    }
    dirs.addAll(List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin"));
    for (String dir : dirs) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
        return Path.of(dir, name).toString();
      }
    }
    return null;
  }
}
