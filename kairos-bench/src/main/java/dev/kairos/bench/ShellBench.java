package dev.kairos.bench;

import dev.kairos.core.protocol.Assignment;
import dev.kairos.core.spec.JobKey;
import dev.kairos.core.spec.JobManifestCodec;
import dev.kairos.core.spec.Resources;
import dev.kairos.core.spec.RetryPolicy;
import dev.kairos.core.spec.ShellSpec;
import dev.kairos.core.spec.TaskSpec;
import dev.kairos.server.KairosServer;
import dev.kairos.server.ServerConfig;
import dev.kairos.store.NewRun;
import dev.kairos.store.Store;
import dev.kairos.store.StoreFactory;
import dev.kairos.worker.Worker;
import dev.kairos.worker.WorkerConfig;
import dev.kairos.worker.contain.Containment;
import dev.kairos.worker.executor.ExecutionContext;
import dev.kairos.worker.executor.LogBuffer;
import dev.kairos.worker.executor.Outcome;
import dev.kairos.worker.limits.LimitEnforcer;
import dev.kairos.worker.shell.ShellExecutor;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a worker spends to run a trivial process ({@code shell: {command: "true"}}), the cost that
 * containment adds to every shell attempt:
 *
 * <ul>
 *   <li>executor: the shell executor alone runs {@code true} {@link #SEQUENTIAL} times one after
 *       another (p50 and mean wall time of one attempt), then 8 threads run {@link #PARALLEL}
 *       attempts in all (attempts per second); once with the limits this machine allows (a cgroup
 *       per attempt where the worker may create cgroups) and once without cgroups (the attempt's
 *       processes found by their mark in {@code /proc});
 *   <li>drain: one server with its local worker (SQLite) drains {@link #DRAIN} runs of the same
 *       task with 1 slot (milliseconds per run) and with 8 slots (runs per second).
 * </ul>
 *
 * Each phase follows an unmeasured warm-up of the same work. Besides wall time, each reports the
 * CPU spent per attempt: this JVM's and that of the processes it started and collected ({@code
 * /proc/self/stat}, at 100 ticks per second), which a busy shared machine disturbs less than wall
 * time.
 */
public final class ShellBench {
  static final int SEQUENTIAL = 300;
  static final int PARALLEL = 800;
  static final int DRAIN = 400;
  private static final JobKey JOB = new JobKey("bench", "true");
  private static final String MANIFEST =
      """
      apiVersion: kairos.dev/v1
      kind: Job
      metadata: {name: "true", namespace: bench}
      spec:
        task: {shell: {command: "true"}}
      """;

  private final PrintWriter out;

  public ShellBench(PrintWriter out) {
    this.out = out;
  }

  /** CPU time so far: this JVM's, and that of the child processes it has collected. */
  record Cpu(long jvmNanos, long childNanos) {
    static Cpu now() {
      long jvm =
          ((com.sun.management.OperatingSystemMXBean)
                  java.lang.management.ManagementFactory.getOperatingSystemMXBean())
              .getProcessCpuTime();
      long children = 0;
      try {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        children = (Long.parseLong(f[13]) + Long.parseLong(f[14])) * 10_000_000L; // 100 Hz
      } catch (java.io.IOException | RuntimeException e) {
        // not Linux: the JVM's alone
      }
      return new Cpu(jvm, children);
    }

    /** Milliseconds per attempt since {@code before}: {jvm, children}. */
    double[] perAttempt(Cpu before, int n) {
      return new double[] {
        (jvmNanos - before.jvmNanos) / 1e6 / n, (childNanos - before.childNanos) / 1e6 / n
      };
    }
  }

  /** What the shell executor alone spends, with one way of limiting and containing. */
  public record Executor(
      String how,
      double p50Ms,
      double meanMs,
      double[] cpuMs,
      double parallelPerSecond,
      double[] parallelCpuMs) {
    String format() {
      return String.format(
          Locale.ROOT,
          "executor (%s): p50 %.2f ms, mean %.2f ms, CPU %.2f ms (worker %.2f + processes %.2f);"
              + " 8 threads %,.0f attempts/s, CPU %.2f ms (%.2f + %.2f)",
          how,
          p50Ms,
          meanMs,
          cpuMs[0] + cpuMs[1],
          cpuMs[0],
          cpuMs[1],
          parallelPerSecond,
          parallelCpuMs[0] + parallelCpuMs[1],
          parallelCpuMs[0],
          parallelCpuMs[1]);
    }
  }

  /** A drain: runs per second, and CPU per run (server, worker and processes in one JVM). */
  public record Drain(int slots, double perSecond, double[] cpuMs) {
    String format() {
      return String.format(
          Locale.ROOT,
          "drain (SQLite, local worker, %d slot%s): %,.0f runs/s (%.2f ms per run), CPU %.2f ms"
              + " per run (JVM %.2f + processes %.2f)",
          slots,
          slots == 1 ? "" : "s",
          perSecond,
          1000 / perSecond,
          cpuMs[0] + cpuMs[1],
          cpuMs[0],
          cpuMs[1]);
    }
  }

  /** The figures. */
  public record Report(List<Executor> executors, List<Drain> drains) {
    public String format() {
      StringBuilder b = new StringBuilder("shell `true`:");
      executors.forEach(e -> b.append("\n    ").append(e.format()));
      drains.forEach(d -> b.append("\n    ").append(d.format()));
      return b.toString();
    }
  }

  public Report run() throws Exception {
    Path dir = Files.createTempDirectory("kairos-shell-bench");
    List<Executor> executors = new ArrayList<>();
    LimitEnforcer detected = LimitEnforcer.detect("shell-bench");
    executors.add(executor(detected.describe(), detected, dir));
    if (detected.detectsOomKills()) {
      // a cgroup per attempt here: measure the mark scan too, what a machine without them runs
      executors.add(executor("without cgroups", LimitEnforcer.withoutCgroups(), dir));
    }
    List<Drain> drains = List.of(drain(dir.resolve("one"), 1), drain(dir.resolve("eight"), 8));
    return new Report(executors, drains);
  }

  private Executor executor(String how, LimitEnforcer limits, Path dir) throws Exception {
    ShellExecutor shell =
        new ShellExecutor(Duration.ofSeconds(5), limits, Containment.start(dir.resolve("workers")));
    double[] sequential;
    double[] cpu;
    double parallel;
    double[] parallelCpu;
    try {
      sequential(shell, dir, 50);
      Cpu before = Cpu.now();
      sequential = sequential(shell, dir, SEQUENTIAL);
      cpu = Cpu.now().perAttempt(before, SEQUENTIAL);
      parallel(shell, dir, PARALLEL / 4);
      before = Cpu.now();
      parallel = parallel(shell, dir, PARALLEL);
      parallelCpu = Cpu.now().perAttempt(before, PARALLEL);
    } finally {
      shell.close();
    }
    Arrays.sort(sequential);
    Executor e =
        new Executor(
            how,
            ThroughputBench.percentile(sequential, 0.5),
            Arrays.stream(sequential).average().orElse(Double.NaN),
            cpu,
            parallel,
            parallelCpu);
    out.println(e.format());
    return e;
  }

  private static Assignment assignment(long id) {
    TaskSpec task =
        new TaskSpec(
            "main",
            List.of(),
            new ShellSpec("true", List.of(), Map.of(), null),
            RetryPolicy.NONE,
            Duration.ofSeconds(30),
            0,
            Resources.NONE);
    return new Assignment(id, id, "bench", "true", 1, task, "k" + id, Instant.now(), 0);
  }

  private static void execute(ShellExecutor shell, Path dir, long id) throws InterruptedException {
    ExecutionContext ctx =
        new ExecutionContext(Map.of(), new LogBuffer(id, 1 << 20, chunk -> {}), dir);
    Outcome outcome = shell.execute(assignment(id), ctx);
    if (!(outcome instanceof Outcome.Succeeded)) {
      throw new IllegalStateException("`true` did not succeed: " + outcome);
    }
  }

  /** Milliseconds of each of {@code n} attempts run one after another. */
  private static double[] sequential(ShellExecutor shell, Path dir, int n)
      throws InterruptedException {
    double[] millis = new double[n];
    for (int i = 0; i < n; i++) {
      long start = System.nanoTime();
      execute(shell, dir, i + 1);
      millis[i] = (System.nanoTime() - start) / 1e6;
    }
    return millis;
  }

  /** Attempts per second with 8 threads running {@code n} in all. */
  private static double parallel(ShellExecutor shell, Path dir, int n) throws Exception {
    AtomicLong next = new AtomicLong();
    List<Thread> threads = new ArrayList<>();
    long start = System.nanoTime();
    for (int t = 0; t < 8; t++) {
      threads.add(
          Thread.ofPlatform()
              .start(() -> {
                long id;
                while ((id = next.incrementAndGet()) <= n) {
                  try {
                    execute(shell, dir, 100_000 + id);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              }));
    }
    for (Thread t : threads) {
      t.join();
    }
    return n / ((System.nanoTime() - start) / 1e9);
  }

  /** A drain of {@link #DRAIN} runs by a local worker of {@code slots}. */
  private Drain drain(Path dir, int slots) throws Exception {
    Files.createDirectories(dir);
    Store store = StoreFactory.open(dev.kairos.store.StoreConfig.sqlite(dir));
    KairosServer server =
        new KairosServer(ServerConfig.defaults(dir).withPort(0), store, Clock.systemUTC());
    try {
      server.start();
      server.jobs().apply(JobManifestCodec.parseYaml(MANIFEST));
      Worker worker =
          new Worker(
              WorkerConfig.defaults().withSlots(slots).withWorkRoot(dir.resolve("work")),
              server.workerProtocol());
      worker.start();
      try {
        drainRuns(store, server, DRAIN / 4, 0); // warm-up
        Cpu before = Cpu.now();
        long start = System.nanoTime();
        drainRuns(store, server, DRAIN, DRAIN / 4);
        double perSecond = DRAIN / ((System.nanoTime() - start) / 1e9);
        Drain d = new Drain(slots, perSecond, Cpu.now().perAttempt(before, DRAIN));
        out.println(d.format());
        return d;
      } finally {
        worker.stop(Duration.ofSeconds(5));
      }
    } finally {
      server.close();
      store.close();
    }
  }

  private static void drainRuns(Store store, KairosServer server, int n, long before)
      throws InterruptedException {
    List<NewRun> runs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      runs.add(NewRun.manual(JOB, null));
    }
    store.createRuns(runs, Instant.now());
    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    while (server.acceptedCompletions() < before + n) {
      Thread.sleep(2);
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("drain did not finish in 5 minutes");
      }
    }
  }
}
