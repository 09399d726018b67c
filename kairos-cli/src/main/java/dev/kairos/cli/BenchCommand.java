package dev.kairos.cli;

import dev.kairos.bench.BenchOptions;
import dev.kairos.bench.BenchReport;
import dev.kairos.bench.ThroughputBench;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
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
      names = "--scenario",
      defaultValue = "throughput",
      description =
          "throughput (drain N no-op runs) or cron (fire delay of --burst-jobs due on the same"
              + " second; idle CPU and fire delay with --schedules spread over the minute)"
              + " (default ${DEFAULT-VALUE}).")
  String scenario;

  @Option(
      names = "--vs",
      description =
          "Also drain the same N no-op tasks through a peer on the same PostgreSQL: db-scheduler.")
  String versus;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    List<String> stores =
        switch (store) {
          case "both" -> List.of("sqlite", "postgres");
          case "sqlite", "postgres" -> List.of(store);
          default ->
              throw new picocli.CommandLine.ParameterException(
                  spec.commandLine(), "--store: \"" + store + "\": use sqlite, postgres or both");
        };
    if (scenario.equals("cron")) {
      List<String> lines = new ArrayList<>();
      for (String s : stores) {
        BenchOptions options = new BenchOptions(s, db, runs, slots, latencyRuns, latencyRate);
        lines.add(
            new dev.kairos.bench.CronBench(options, burstJobs, schedules, out).run().format());
      }
      out.println();
      out.println("Results (" + Runtime.getRuntime().availableProcessors() + " cores):");
      lines.forEach(l -> out.println("  " + l));
      out.flush();
      return 0;
    }
    if (!scenario.equals("throughput")) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "--scenario: \"" + scenario + "\": use throughput or cron");
    }
    List<BenchReport> reports = new ArrayList<>();
    for (String s : stores) {
      BenchOptions options = new BenchOptions(s, db, runs, slots, latencyRuns, latencyRate);
      reports.add(new ThroughputBench(options, out).run());
    }
    Double peer = null;
    if (versus != null) {
      if (!versus.equals("db-scheduler")) {
        throw new picocli.CommandLine.ParameterException(
            spec.commandLine(), "--vs: \"" + versus + "\": supported peer is db-scheduler");
      }
      peer =
          new dev.kairos.bench.DbSchedulerBench(
                  new BenchOptions("postgres", db, runs, slots, 0, 1), out)
              .run();
    }
    out.println();
    out.println("Results (" + Runtime.getRuntime().availableProcessors() + " cores):");
    reports.forEach(r -> out.println("  " + r.format()));
    if (peer != null) {
      out.printf(java.util.Locale.ROOT, "  db-scheduler runs=%,d  executed=%,.0f/s%n", runs, peer);
      for (BenchReport r : reports) {
        if (r.store().equals("postgres")) {
          out.printf(
              java.util.Locale.ROOT,
              "  Kairos / db-scheduler on PostgreSQL: %.2fx%n",
              r.executedPerSecond() / peer);
        }
      }
    }
    out.flush();
    return 0;
  }
}
