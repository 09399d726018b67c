package dev.kairos.worker;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A worker's settings, with documented defaults.
 *
 * @param workerId unique among live workers; default {@code <host>-<pid>-<random>}
 * @param pool the pool it serves; default {@code default}
 * @param slots attempts run at once; default 64. A poll never asks for more than the free slots.
 * @param pollWait how long one poll waits for work on the server (long poll); default 30s
 * @param heartbeatInterval how often leases are renewed; default 5s (a third of the default lease)
 * @param flushInterval how often completions and logs are sent, in one call each; default 5ms (a
 *     group commit: many completions per round trip under load, little added latency)
 * @param killGrace how long a process may take to exit after SIGTERM before SIGKILL; default 5s
 * @param logCapBytes output kept per attempt; default 10 MiB
 * @param workRoot where attempts get their working directories; default the system temp dir
 */
public record WorkerConfig(
    String workerId,
    String pool,
    int slots,
    Duration pollWait,
    Duration heartbeatInterval,
    Duration flushInterval,
    Duration killGrace,
    long logCapBytes,
    Path workRoot) {

  public static WorkerConfig defaults() {
    String host = ManagementFactory.getRuntimeMXBean().getName().replace('@', '-');
    String id = host + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffff);
    return new WorkerConfig(
        id,
        "default",
        64,
        Duration.ofSeconds(30),
        Duration.ofSeconds(5),
        Duration.ofMillis(5),
        Duration.ofSeconds(5),
        10L * 1024 * 1024,
        Path.of(System.getProperty("java.io.tmpdir"), "kairos-work"));
  }

  public WorkerConfig withPool(String p) {
    return new WorkerConfig(
        workerId,
        p,
        slots,
        pollWait,
        heartbeatInterval,
        flushInterval,
        killGrace,
        logCapBytes,
        workRoot);
  }

  public WorkerConfig withSlots(int s) {
    return new WorkerConfig(
        workerId,
        pool,
        s,
        pollWait,
        heartbeatInterval,
        flushInterval,
        killGrace,
        logCapBytes,
        workRoot);
  }

  public WorkerConfig withHeartbeatInterval(Duration d) {
    return new WorkerConfig(
        workerId, pool, slots, pollWait, d, flushInterval, killGrace, logCapBytes, workRoot);
  }

  public WorkerConfig withWorkRoot(Path p) {
    return new WorkerConfig(
        workerId,
        pool,
        slots,
        pollWait,
        heartbeatInterval,
        flushInterval,
        killGrace,
        logCapBytes,
        p);
  }
}
