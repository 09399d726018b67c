package dev.kairos.worker;

import dev.kairos.core.protocol.Capacity;
import dev.kairos.core.protocol.WorkerInfo;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * A worker's settings, with documented defaults.
 *
 * @param declaration what the worker declares to the server with every poll:
 *     <ul>
 *       <li>{@code workerId}: unique among live workers; default {@code <host>-<pid>-<random>}
 *       <li>{@code pool}: the pool it serves; default {@code default}
 *       <li>{@code cluster}: where it runs; default {@code default}
 *       <li>{@code labels}: Kubernetes-style labels; default none
 *       <li>{@code capacity}: cpu and memory default to this machine's (the processors and the
 *           physical memory the JVM sees, which respects container limits); slots default to 64. A
 *           poll never asks for more than the free slots.
 *     </ul>
 *
 * @param pollWait how long one poll waits for work on the server (long poll); default 30s
 * @param heartbeatInterval how often leases are renewed; default null: the interval the server
 *     announces (its {@code --heartbeat}, a third of its lease unless set), asked at start and
 *     after reconnecting. Set it only to override the server.
 * @param flushInterval how long completions may wait to be sent with the ones that follow them;
 *     default 5ms. A completion is sent once no other has come for 1 ms, or this long after it was
 *     made (a group commit: many completions per round trip under load, attempts that end together
 *     in one call, little added latency). Logs go at least every 200 ms.
 * @param killGrace how long a process may take to exit after SIGTERM before SIGKILL; default 5s
 * @param shutdownGrace on {@link Worker#stop()}, how long running attempts may take to finish
 *     before the rest are stopped and given back to be queued again; default 30s
 * @param logCapBytes output kept per attempt; default 10 MiB
 * @param workRoot where attempts get their working directories; default the system temp dir
 * @param stateDir where the worker records that it runs, one small file while it runs, in a
 *     directory that the workers of a host share: a worker that starts kills what the attempts of a
 *     recorded worker whose process has died left running; default {@code
 *     <java.io.tmpdir>/kairos-workers-<user>}
 * @param passEnv the worker's environment variables that its tasks see, beside a short allow-list
 *     (PATH, HOME, LANG, LC_*, TZ, TMPDIR, USER), and that a secret's {@code fromEnv} may name:
 *     names, or prefixes followed by {@code *}; default none
 */
public record WorkerConfig(
    WorkerInfo declaration,
    Duration pollWait,
    Duration heartbeatInterval,
    Duration flushInterval,
    Duration killGrace,
    Duration shutdownGrace,
    long logCapBytes,
    Path workRoot,
    Path stateDir,
    Set<String> passEnv) {

  public static final int DEFAULT_SLOTS = 64;

  public static WorkerConfig defaults() {
    String host = ManagementFactory.getRuntimeMXBean().getName().replace('@', '-');
    String id = host + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffff);
    WorkerInfo declaration =
        new WorkerInfo(
            id, "default", WorkerInfo.DEFAULT_CLUSTER, Map.of(), machineCapacity(DEFAULT_SLOTS));
    return new WorkerConfig(
        declaration,
        Duration.ofSeconds(30),
        null,
        Duration.ofMillis(5),
        Duration.ofSeconds(5),
        Duration.ofSeconds(30),
        10L * 1024 * 1024,
        Path.of(System.getProperty("java.io.tmpdir"), "kairos-work"),
        Path.of(
            System.getProperty("java.io.tmpdir"),
            "kairos-workers-" + System.getProperty("user.name", "user")),
        Set.of());
  }

  /** This machine's processors and physical memory (container limits when in one). */
  static Capacity machineCapacity(int slots) {
    long millicores = Runtime.getRuntime().availableProcessors() * 1000L;
    long memory =
        ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os
            ? os.getTotalMemorySize()
            : Runtime.getRuntime().maxMemory();
    return new Capacity(millicores, memory, slots);
  }

  public String workerId() {
    return declaration.workerId();
  }

  public String pool() {
    return declaration.pool();
  }

  public int slots() {
    return declaration.capacity().slots();
  }

  public WorkerConfig withDeclaration(WorkerInfo d) {
    return change(f -> f.declaration = d);
  }

  public WorkerConfig withPool(String p) {
    return withDeclaration(declaration.withPool(p));
  }

  public WorkerConfig withCluster(String c) {
    return withDeclaration(declaration.withCluster(c));
  }

  public WorkerConfig withLabels(Map<String, String> l) {
    return withDeclaration(declaration.withLabels(l));
  }

  public WorkerConfig withCapacity(Capacity c) {
    return withDeclaration(declaration.withCapacity(c));
  }

  public WorkerConfig withSlots(int s) {
    return withCapacity(declaration.capacity().withSlots(s));
  }

  /** Overrides the interval the server announces; null follows the server. */
  public WorkerConfig withHeartbeatInterval(Duration d) {
    return change(f -> f.heartbeatInterval = d);
  }

  public WorkerConfig withShutdownGrace(Duration d) {
    return change(f -> f.shutdownGrace = d);
  }

  /** Where the workers of this host record themselves (see {@code stateDir}). */
  public WorkerConfig withStateDir(Path p) {
    return change(f -> f.stateDir = p);
  }

  /**
   * The worker variables that tasks see, beside {@code TaskEnvironment.ALLOWED}: names, or prefixes
   * followed by {@code *} ({@code kairos worker --pass-env}).
   */
  public WorkerConfig withPassEnv(Set<String> names) {
    return change(f -> f.passEnv = Set.copyOf(names));
  }

  public WorkerConfig withWorkRoot(Path p) {
    return change(f -> f.workRoot = p);
  }

  private WorkerConfig change(Consumer<Fields> change) {
    Fields f = new Fields(this);
    change.accept(f);
    return f.build();
  }

  /** The fields, mutable, for {@link #change}. */
  private static final class Fields {
    WorkerInfo declaration;
    Duration pollWait;
    Duration heartbeatInterval;
    Duration flushInterval;
    Duration killGrace;
    Duration shutdownGrace;
    long logCapBytes;
    Path workRoot;
    Path stateDir;
    Set<String> passEnv;

    Fields(WorkerConfig c) {
      declaration = c.declaration;
      pollWait = c.pollWait;
      heartbeatInterval = c.heartbeatInterval;
      flushInterval = c.flushInterval;
      killGrace = c.killGrace;
      shutdownGrace = c.shutdownGrace;
      logCapBytes = c.logCapBytes;
      workRoot = c.workRoot;
      stateDir = c.stateDir;
      passEnv = c.passEnv;
    }

    WorkerConfig build() {
      return new WorkerConfig(
          declaration,
          pollWait,
          heartbeatInterval,
          flushInterval,
          killGrace,
          shutdownGrace,
          logCapBytes,
          workRoot,
          stateDir,
          passEnv);
    }
  }
}
