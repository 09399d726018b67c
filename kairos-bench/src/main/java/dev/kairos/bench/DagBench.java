package dev.kairos.bench;

import dev.kairos.core.run.RunState;
import dev.kairos.core.spec.JobKey;
import dev.kairos.core.spec.JobManifestCodec;
import dev.kairos.sdk.KairosWorker;
import dev.kairos.server.KairosServer;
import dev.kairos.server.ServerConfig;
import dev.kairos.store.AttemptRecord;
import dev.kairos.store.RunRecord;
import dev.kairos.store.Store;
import dev.kairos.store.StoreFactory;
import dev.kairos.worker.Worker;
import dev.kairos.worker.WorkerConfig;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Workflows, one server with its local worker:
 *
 * <ul>
 *   <li>validation: how long a 10,000-task manifest takes to read and check (median of 5, warm);
 *   <li>release: a layered DAG (100 layers of 100 {@code empty} tasks, each after two of the layer
 *       before) and a fan-out 1 → 10,000 → 1, run to the end: the makespan and each task's release
 *       latency, from the end of its last upstream task to its attempt starting;
 *   <li>critical path: 1,000 tasks of 200 ms (10 layers of 100, each after two of the layer before)
 *       against a chain of 10 of the same tasks. Both have the same critical path (10 × 200 ms);
 *       the chain pays the per-task overhead (release, dispatch, start, report) 10 times in a row
 *       and nothing else, so its makespan is the critical path plus the measured per-task overhead,
 *       and the wide DAG's excess over it is what width costs. Measured with {@code java} tasks
 *       that sleep (an SDK worker over HTTP, the scheduler's own cost) and with {@code shell: sleep
 *       0.2} (which adds 100 process starts at once per layer). Medians of {@link #RUNS} runs each,
 *       chain and wide DAG taking turns.
 * </ul>
 */
public final class DagBench {
  private final BenchOptions options;
  private final PrintWriter out;

  public DagBench(BenchOptions options, PrintWriter out) {
    this.options = options;
    this.out = out;
  }

  /** The figures of one store. */
  public record Report(
      String store,
      double layeredValidateMs,
      double fanValidateMs,
      Execution layered,
      Execution fan,
      CriticalPath java,
      CriticalPath shell) {
    public String format() {
      return String.format(
          Locale.ROOT,
          "%s: validate 10,000 tasks: layered %.0f ms, fan-out %.0f ms%n"
              + "    layered 100x100: %s%n"
              + "    fan-out 1->10,000->1: %s%n"
              + "    %s%n"
              + "    %s",
          store,
          layeredValidateMs,
          fanValidateMs,
          layered.format(),
          fan.format(),
          java.format(),
          shell.format());
    }
  }

  /**
   * 1,000 tasks of {@code taskMs} in 10 layers against a chain of 10 of them (medians of {@link
   * #RUNS} runs).
   */
  public record CriticalPath(String tasks, double taskMs, Execution wide, Execution chain) {
    /** The per-task overhead the chain measured: its makespan beyond 10 tasks' work, per task. */
    public double overheadMs() {
      return (chain.makespanMs() - 10 * taskMs) / 10;
    }

    /** How much longer the wide DAG took than its critical path plus the per-task overhead. */
    public double excessPercent() {
      return 100.0 * (wide.makespanMs() / chain.makespanMs() - 1);
    }

    String format() {
      return String.format(
          Locale.ROOT,
          "1,000 x %s in 10 layers: %.0f ms; critical path %.0f ms + 10 x %.0f ms per-task overhead"
              + " (a chain of 10: %.0f ms): %.1f%% more; release p50=%.0f ms p99=%.0f ms",
          tasks,
          wide.makespanMs(),
          10 * taskMs,
          overheadMs(),
          chain.makespanMs(),
          excessPercent(),
          wide.releaseP50(),
          wide.releaseP99());
    }
  }

  /** One DAG run: its makespan and per-task latencies (ms). */
  public record Execution(
      String state, double makespanMs, double releaseP50, double releaseP99, double startP50) {
    String format() {
      return String.format(
          Locale.ROOT,
          "%s in %.0f ms; release p50=%.0f ms p99=%.0f ms; queued->started p50=%.0f ms",
          state,
          makespanMs,
          releaseP50,
          releaseP99,
          startP50);
    }
  }

  public Report run() throws Exception {
    String layered = manifest("layered", 10_000, layered(100, 100), EMPTY, "default");
    String fan = manifest("fan", 10_002, fan(10_000), EMPTY, "default");
    double layeredMs = validate("layered", layered);
    double fanMs = validate("fan-out", fan);
    Path dir = Files.createTempDirectory("kairos-bench-dag");
    try (ThroughputBench.BenchDatabase db = ThroughputBench.BenchDatabase.create(options, dir)) {
      Store store = StoreFactory.open(db.config());
      KairosServer server =
          new KairosServer(ServerConfig.defaults(dir).withPort(0), store, Clock.systemUTC());
      Worker worker = null;
      KairosWorker sdkWorker = null;
      try {
        server.start();
        worker =
            new Worker(
                WorkerConfig.defaults().withSlots(options.slots()).withWorkRoot(dir.resolve("w")),
                server.workerProtocol());
        worker.start();
        // java tasks go to a pool of their own, served by an SDK worker over HTTP
        sdkWorker =
            KairosWorker.builder(server.url(), Files.readString(dir.resolve("worker.token")).trim())
                .pool("java")
                .slots(options.slots())
                .handler(
                    "sleep",
                    ctx -> {
                      Thread.sleep(TASK_MS);
                      return Map.of();
                    })
                .start();
        Execution l = execute(server, store, layered, "layered");
        Execution f = execute(server, store, fan, "fan");
        CriticalPath java =
            criticalPath(server, store, "java sleep", "\"java\":{\"handler\":\"sleep\"}", "java");
        CriticalPath shell =
            criticalPath(
                server,
                store,
                "shell sleep 0.2",
                "\"shell\":{\"command\":\"sleep 0.2\"}",
                "default");
        return new Report(options.store(), layeredMs, fanMs, l, f, java, shell);
      } finally {
        if (sdkWorker != null) {
          sdkWorker.close();
        }
        if (worker != null) {
          worker.stop(Duration.ofSeconds(5));
        }
        server.close();
        store.close();
      }
    }
  }

  private CriticalPath criticalPath(
      KairosServer server, Store store, String tasks, String executor, String pool)
      throws InterruptedException {
    String name = tasks.replace(' ', '-').replace(".", "");
    String wide = manifest(name + "-wide", 1_000, layered(10, 100), executor, pool);
    String chain = manifest(name + "-chain", 10, DagBench::chain, executor, pool);
    List<Execution> wides = new ArrayList<>();
    List<Execution> chains = new ArrayList<>();
    for (int i = 0; i < RUNS; i++) {
      chains.add(execute(server, store, chain, name + "-chain"));
      wides.add(execute(server, store, wide, name + "-wide"));
    }
    return new CriticalPath(tasks, TASK_MS, median(wides), median(chains));
  }

  private static Execution median(List<Execution> runs) {
    List<Execution> sorted = new ArrayList<>(runs);
    sorted.sort(java.util.Comparator.comparingDouble(Execution::makespanMs));
    return sorted.get(sorted.size() / 2);
  }

  private double validate(String name, String json) {
    for (int i = 0; i < 3; i++) {
      JobManifestCodec.parseJson(json); // warm-up
    }
    double[] ms = new double[5];
    for (int i = 0; i < ms.length; i++) {
      long t = System.nanoTime();
      JobManifestCodec.parseJson(json);
      ms[i] = (System.nanoTime() - t) / 1e6;
    }
    Arrays.sort(ms);
    out.printf(Locale.ROOT, "validate %s (%,d bytes): %.1f ms%n", name, json.length(), ms[2]);
    return ms[2];
  }

  private Execution execute(KairosServer server, Store store, String json, String name)
      throws InterruptedException {
    server.jobs().apply(JobManifestCodec.parseJson(json)); // once: later runs find it unchanged
    JobKey key = new JobKey("bench", name);
    RunRecord run = server.jobs().trigger(key, null).run();
    out.printf("run %s: ", name);
    out.flush();
    long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
    RunRecord now;
    while ((now = store.findRun(run.id()).orElseThrow()).state().active()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("DAG " + name + " did not finish in 10 minutes");
      }
      Thread.sleep(50);
    }
    List<AttemptRecord> attempts = store.attemptsOf(run.id());
    Map<String, AttemptRecord> byTask = new HashMap<>();
    attempts.forEach(a -> byTask.put(a.task().name(), a));
    List<Double> release = new ArrayList<>();
    List<Double> start = new ArrayList<>();
    for (AttemptRecord a : attempts) {
      Instant lastUpstream = null;
      for (String up : a.task().dependsOn()) {
        Instant f = byTask.get(up).finishedAt();
        lastUpstream = lastUpstream == null || f.isAfter(lastUpstream) ? f : lastUpstream;
      }
      if (lastUpstream != null) {
        // queued in the transaction that recorded the upstream's end: what counts is the start
        release.add(millis(lastUpstream, a.startedAt()));
      }
      start.add(millis(a.createdAt(), a.startedAt()));
    }
    Execution e =
        new Execution(
            now.state().name(),
            millis(run.createdAt(), now.finishedAt()),
            percentile(release, 0.5),
            percentile(release, 0.99),
            percentile(start, 0.5));
    if (now.state() != RunState.SUCCEEDED) {
      throw new IllegalStateException(
          "DAG " + name + " ended " + now.state() + ": " + now.reason());
    }
    out.printf("%s (%,d attempts)%n", e.format(), attempts.size());
    return e;
  }

  private static double millis(Instant from, Instant to) {
    return Duration.between(from, to).toNanos() / 1e6;
  }

  private static double percentile(List<Double> values, double p) {
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return ThroughputBench.percentile(sorted, p);
  }

  private static final String EMPTY = "\"empty\":{}";
  private static final long TASK_MS = 200;

  /**
   * Runs of each DAG whose median is reported: a layer's end costs a few milliseconds of a 2-core
   * machine that everything else shares, and one run in three or four catches a slow one.
   */
  private static final int RUNS = 5;

  /**
   * The JSON manifest of job bench/{@code name}: task i after the tasks {@code deps} gives, each
   * running {@code executor} (a JSON member, e.g. {@code "empty":{}}), in {@code pool}.
   */
  static String manifest(
      String name, int n, IntFunction<List<Integer>> deps, String executor, String pool) {
    StringBuilder sb =
        new StringBuilder(
            "{\"apiVersion\":\"kairos.dev/v1\",\"kind\":\"Job\",\"metadata\":{\"name\":\""
                + name
                + "\",\"namespace\":\"bench\"},\"spec\":{\"placement\":{\"pool\":\""
                + pool
                + "\"},\"tasks\":[");
    for (int i = 0; i < n; i++) {
      sb.append(i == 0 ? "" : ",").append("{\"name\":\"t").append(i).append('"');
      List<Integer> up = deps.apply(i);
      if (!up.isEmpty()) {
        sb.append(",\"dependsOn\":[");
        for (int k = 0; k < up.size(); k++) {
          sb.append(k == 0 ? "" : ",").append("\"t").append(up.get(k)).append('"');
        }
        sb.append(']');
      }
      sb.append(',').append(executor).append('}');
    }
    return sb.append("]}}").toString();
  }

  /** Task i after task i - 1. */
  static List<Integer> chain(int i) {
    return i == 0 ? List.of() : List.of(i - 1);
  }

  /** {@code layers} of {@code width}: each task after two tasks of the layer before. */
  static IntFunction<List<Integer>> layered(int layers, int width) {
    return i -> {
      int layer = i / width;
      if (layer == 0) {
        return List.of();
      }
      int base = (layer - 1) * width;
      int pos = i % width;
      return List.of(base + pos, base + (pos + 1) % width);
    };
  }

  /** t0, then t1..t{width} after it, then the last after all of them. */
  static IntFunction<List<Integer>> fan(int width) {
    return i -> {
      if (i == 0) {
        return List.of();
      }
      if (i <= width) {
        return List.of(0);
      }
      List<Integer> all = new ArrayList<>(width);
      for (int k = 1; k <= width; k++) {
        all.add(k);
      }
      return all;
    };
  }
}
