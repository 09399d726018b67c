package dev.kairos.cli;

import dev.kairos.cli.serve.Serve;
import dev.kairos.cli.serve.ServeOptions;
import dev.kairos.worker.Worker;
import dev.kairos.worker.WorkerConfig;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kairos up}: server + local worker + embedded SQLite, in one process. */
@Command(
    name = "up",
    mixinStandardHelpOptions = true,
    description = {
      "Start Kairos in one process: the API server, a local worker and an embedded SQLite store"
          + " (or --db for PostgreSQL).",
      "The first start creates an admin token in <state-dir>/admin.token (mode 0600)."
    })
public final class UpCommand implements Callable<Integer> {
  @Mixin LogOptions logs;

  @Mixin ServeOptions serve;

  @Option(
      names = "--slots",
      defaultValue = "64",
      description = "Attempts the local worker runs at once (default ${DEFAULT-VALUE}).")
  int slots;

  @Option(
      names = "--pool",
      defaultValue = "default",
      description = "Pool the local worker serves (default ${DEFAULT-VALUE}).")
  String pool;

  @Mixin PassEnvOption passEnv;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    logs.apply();
    Serve.Running running = Serve.start(serve);
    WorkerConfig workerConfig =
        WorkerConfig.defaults()
            .withPool(pool)
            .withSlots(slots)
            .withPassEnv(passEnv.names())
            .withWorkRoot(running.config().stateDir().resolve("work"));
    Worker worker = new Worker(workerConfig, running.server().workerProtocol());
    worker.start();
    PrintWriter out = spec.commandLine().getOut();
    running.printBanner(out, "(server + local worker)");
    awaitShutdown(() -> {
      worker.stop(Duration.ofSeconds(10));
      running.close();
    });
    return 0;
  }

  /** Blocks until SIGINT/SIGTERM, then runs {@code stop} once. */
  static void awaitShutdown(Runnable stop) throws InterruptedException {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  stop.run();
                  stopped.countDown();
                },
                "kairos-shutdown"));
    stopped.await();
  }
}
