package dev.kairos.cli;

import dev.kairos.bench.BenchOptions;
import dev.kairos.bench.BenchReport;
import dev.kairos.bench.PeerResult;
import dev.kairos.bench.ThroughputBench;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kairos bench}: throughput and start latency of one server with its local worker. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Enqueue N no-op runs, drain them with one server and its local worker, then measure start"
          + " latency at a steady rate. Prints enqueue/s, executed/s and start latency p50/p99.",
      "Runs on a fresh SQLite file and/or a fresh schema in PostgreSQL (dropped afterwards)."
    })
public final class BenchCommand implements Callable<Integer> {
  private static final List<String> PEERS = List.of("db-scheduler", "quartz");

  @Option(
      names = "--store",
      defaultValue = "both",
      description = "sqlite, postgres or both (default ${DEFAULT-VALUE}).")
  String store;

  @Option(
      names = "--db",
      defaultValue =
          "${env:KAIROS_BENCH_PG_URL:-jdbc:postgresql://127.0.0.1:5432/test?user=postgres}",
      description = "PostgreSQL JDBC URL (default ${DEFAULT-VALUE}).")
  String db;

  @Option(
      names = {"-n", "--runs"},
      defaultValue = "100000",
      description = "Runs to enqueue and drain (default ${DEFAULT-VALUE}).")
  int runs;

  @Option(
      names = "--slots",
      defaultValue = "512",
      description = "Local worker slots (default ${DEFAULT-VALUE}).")
  int slots;

  @Option(
      names = "--latency-runs",
      defaultValue = "10000",
      description = "Runs in the start-latency phase (default ${DEFAULT-VALUE}).")
  int latencyRuns;

  @Option(
      names = "--latency-rate",
      defaultValue = "1000",
      description =
          "Submission rate of the start-latency phase, runs/s (default ${DEFAULT-VALUE}).")
  int latencyRate;

  @Option(
      names = "--burst-jobs",
      defaultValue = "10000",
      description =
          "cron scenario: jobs whose schedules fire on the same second (default ${DEFAULT-VALUE}).")
  int burstJobs;

  @Option(
      names = "--schedules",
      defaultValue = "100000",
      description =
          "cron scenario: active schedules for the idle and the spread phases (default"
              + " ${DEFAULT-VALUE}).")
  int schedules;

  @Option(
      names = "--duration",
      defaultValue = "60s",
      description =
          "retention scenario: how long the steady load runs (default ${DEFAULT-VALUE}); longer"
              + " shows the table sizes over more retention periods.")
  String duration;

  @Option(
      names = "--jobs",
      defaultValue = "200",
      description =
          "retention scenario: schedules firing every second in the steady load (default"
              + " ${DEFAULT-VALUE}).")
  int jobs;

  @Option(
      names = "--scenario",
      defaultValue = "throughput",
      description =
          "throughput (drain N no-op runs), cron (fire delay of --burst-jobs due on the same"
              + " second; idle CPU and fire delay with --schedules spread over the minute), dag"
              + " (validate 10,000-task DAGs; run them with per-edge release latency; a 1,000-task"
              + " DAG against its critical path), dispatch (100 workers over HTTP drain --runs"
              + " attempts of mixed sizes and priorities), predict (duration prediction against"
              + " naive methods on synthetic histories, and the waits of fifo and"
              + " shortest-predicted-first pools simulated) or shell (what a worker spends to run"
              + " `true`: the shell executor alone, one at a time and 8 at once, and drains with 1"
              + " and 8 slots) or retention (PostgreSQL: table sizes"
              + " under a steady cron load for --duration with retention running, and the drain"
              + " of --runs with and without it) (default ${DEFAULT-VALUE}).")
  String scenario;

  @Option(
      names = "--vs",
      split = ",",
      description =
          "Also drain no-op tasks (--peer-runs of them) through peers on the same PostgreSQL:"
              + " db-scheduler, quartz, or both (db-scheduler,quartz).")
  List<String> versus = List.of();

  @Option(
      names = "--peer-runs",
      description =
          "Tasks each --vs peer drains (default: --runs, the same N as Kairos). Quartz drains tens"
              + " to a few hundred a second on a small machine, slower as N grows, so 100,000"
              + " exceed its 10-minute guard; a drain the guard stops reports the count it"
              + " reached.")
  Integer peerRuns;

  @Option(
      names = "--remote-worker",
      description =
          "Also drain with a kairos worker process of its own (over HTTP, worker token) instead of"
              + " the server's local worker.")
  boolean remoteWorker;

  @Spec CommandSpec spec;

  /** A scenario that reports one formatted line per store. */
  @FunctionalInterface
  interface Scenario {
    String run(BenchOptions options) throws Exception;
  }

  private int results(List<String> stores, Scenario scenario, PrintWriter out) throws Exception {
    List<String> lines = new ArrayList<>();
    for (String s : stores) {
      lines.add(scenario.run(new BenchOptions(s, db, runs, slots, latencyRuns, latencyRate)));
    }
    out.println();
    out.println("Results (" + Runtime.getRuntime().availableProcessors() + " cores):");
    lines.forEach(l -> out.println("  " + l));
    out.flush();
    return 0;
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    quietLogs();
    List<String> stores =
        switch (store) {
          case "both" -> List.of("sqlite", "postgres");
          case "sqlite", "postgres" -> List.of(store);
          default ->
              throw new picocli.CommandLine.ParameterException(
                  spec.commandLine(), "--store: \"" + store + "\": use sqlite, postgres or both");
        };
    if (scenario.equals("cron")) {
      return results(
          stores,
          o -> new dev.kairos.bench.CronBench(o, burstJobs, schedules, out).run().format(),
          out);
    }
    if (scenario.equals("dag")) {
      return results(stores, o -> new dev.kairos.bench.DagBench(o, out).run().format(), out);
    }
    if (scenario.equals("predict")) {
      // pure: no store
      out.println();
      out.println(
          dev.kairos.bench.PredictBench.format(new dev.kairos.bench.PredictBench(out).run()));
      out.println();
      out.println(dev.kairos.bench.OrderBench.format(new dev.kairos.bench.OrderBench().run()));
      out.flush();
      return 0;
    }
    if (scenario.equals("shell")) {
      // a worker's own cost: no database server needed
      out.println();
      out.println(new dev.kairos.bench.ShellBench(out).run().format());
      out.flush();
      return 0;
    }
    if (scenario.equals("retention")) {
      java.time.Duration steady;
      try {
        steady =
            dev.kairos.core.spec.Durations.parseWithin(
                duration, java.time.Duration.ofSeconds(30), java.time.Duration.ofDays(1));
      } catch (IllegalArgumentException e) {
        throw new picocli.CommandLine.ParameterException(
            spec.commandLine(), "--duration: \"" + duration + "\": " + e.getMessage());
      }
      // table sizes are PostgreSQL's (pg_total_relation_size), and so is the cluster case
      return results(
          List.of("postgres"),
          o -> new dev.kairos.bench.RetentionBench(o, steady, jobs, out).run().format(),
          out);
    }
    if (scenario.equals("dispatch")) {
      return results(stores, o -> new dev.kairos.bench.DispatchBench(o, out).run().format(), out);
    }
    if (!scenario.equals("throughput")) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(),
          "--scenario: \""
              + scenario
              + "\": use throughput, cron, dag, dispatch, predict, shell or retention");
    }
    for (String peer : versus) {
      if (!PEERS.contains(peer)) {
        throw new picocli.CommandLine.ParameterException(
            spec.commandLine(), "--vs: \"" + peer + "\": use db-scheduler or quartz");
      }
    }
    List<BenchReport> reports = new ArrayList<>();
    for (String s : stores) {
      BenchOptions options = new BenchOptions(s, db, runs, slots, latencyRuns, latencyRate);
      reports.add(new ThroughputBench(options, out).run());
      if (remoteWorker) {
        reports.add(new ThroughputBench(options, out, workerCommand()).run());
      }
    }
    int peerN = peerRuns == null ? runs : peerRuns;
    Map<String, PeerResult> peers = new LinkedHashMap<>();
    for (String peer : versus) {
      BenchOptions options = new BenchOptions("postgres", db, peerN, slots, 0, 1);
      peers.put(
          peer,
          peer.equals("quartz")
              ? new dev.kairos.bench.QuartzBench(options, out).run()
              : new dev.kairos.bench.DbSchedulerBench(options, out).run());
    }
    out.println();
    out.println("Results (" + Runtime.getRuntime().availableProcessors() + " cores):");
    reports.forEach(r -> out.println("  " + r.format()));
    peers.forEach((peer, result) -> printPeer(out, peer, result, reports));
    out.flush();
    return 0;
  }

  /** The peer's rate, and Kairos's PostgreSQL rate over it (saying so when N differed). */
  private static void printPeer(
      PrintWriter out, String peer, PeerResult result, List<BenchReport> reports) {
    String runs =
        result.complete()
            ? String.format(Locale.ROOT, "%,d", result.executed())
            : String.format(
                Locale.ROOT,
                "%,d of %,d (stopped by the 10-minute guard)",
                result.executed(),
                result.target());
    out.printf(Locale.ROOT, "  %s runs=%s  executed=%,.0f/s%n", peer, runs, result.perSecond());
    for (BenchReport r : reports) {
      if (r.store().equals("postgres") && r.worker().equals("local worker")) {
        String note =
            result.complete() && result.target() == r.runs()
                ? ""
                : String.format(
                    Locale.ROOT, " (Kairos %,d runs, %s %,d)", r.runs(), peer, result.executed());
        out.printf(
            Locale.ROOT,
            "  Kairos / %s on PostgreSQL: %.2fx%s%n",
            peer,
            r.executedPerSecond() / result.perSecond(),
            note);
      }
    }
  }

  /** {@code java -jar <this jar> worker}: the same build, as a process of its own. */
  private static List<String> workerCommand() throws Exception {
    String javaBin = ProcessHandle.current().info().command().orElse("java");
    String jar =
        java.nio.file.Path.of(
                BenchCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI())
            .toString();
    return List.of(javaBin, "-jar", jar, "worker");
  }

  /**
   * Per-event INFO lines (a job applied, runs fired) cost more than the work they describe at
   * benchmark rates; keep warnings unless KAIROS_LOG_LEVEL asks otherwise.
   */
  private static void quietLogs() {
    if (System.getenv("KAIROS_LOG_LEVEL") == null) {
      ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("dev.kairos"))
          .setLevel(ch.qos.logback.classic.Level.WARN);
    }
  }
}
