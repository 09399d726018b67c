package dev.kairos.cli;

import dev.kairos.worker.Worker;
import dev.kairos.worker.WorkerConfig;
import dev.kairos.worker.http.HttpWorkerProtocol;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code kairos worker}: a worker process that serves a pool through any server replica. */
@Command(
    name = "worker",
    mixinStandardHelpOptions = true,
    description = {
      "Run a worker in its own process: it long-polls a server for attempts, runs them, and"
          + " reports back over HTTP with a worker token.",
      "Give several --server URLs (comma-separated) to fail over between replicas."
    })
public final class WorkerCommand implements Callable<Integer> {
  @Option(
      names = "--server",
      required = true,
      split = ",",
      description = "Server URL(s), e.g. http://10.0.0.5:7070,http://10.0.0.6:7070.")
  List<String> servers;

  @Option(
      names = "--token-file",
      description = "File holding the worker token (default: <state-dir>/worker.token).")
  Path tokenFile;

  @Option(
      names = "--state-dir",
      defaultValue = "${env:KAIROS_STATE_DIR:-.kairos}",
      description = "State directory of a local server (default ${DEFAULT-VALUE}).")
  Path stateDir;

  @Option(
      names = "--pool",
      defaultValue = "default",
      description = "Pool to serve (default ${DEFAULT-VALUE}).")
  String pool;

  @Option(
      names = "--slots",
      defaultValue = "16",
      description = "Attempts run at once (default ${DEFAULT-VALUE}).")
  int slots;

  @Option(
      names = "--work-dir",
      description = "Where attempts get their working directories (default: the temp dir).")
  Path workDir;

  @Option(
      names = "--heartbeat",
      defaultValue = "5s",
      description =
          "Lease renewal interval; keep it under a third of the servers' --lease (default ${DEFAULT-VALUE}).")
  String heartbeat;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Path file = tokenFile != null ? tokenFile : stateDir.resolve("worker.token");
    String token = System.getenv("KAIROS_WORKER_TOKEN");
    if (token == null || token.isBlank()) {
      if (!Files.exists(file)) {
        throw new ParameterException(
            spec.commandLine(),
            "no worker token: "
                + file
                + " does not exist (use --token-file or KAIROS_WORKER_TOKEN)");
      }
      token = Files.readString(file).trim();
    }
    if (slots < 1) {
      throw new ParameterException(spec.commandLine(), "--slots: must be at least 1");
    }
    WorkerConfig config =
        WorkerConfig.defaults()
            .withPool(pool)
            .withSlots(slots)
            .withHeartbeatInterval(dev.kairos.core.spec.Durations.parse(heartbeat));
    if (workDir != null) {
      config = config.withWorkRoot(workDir);
    }
    Worker worker = new Worker(config, new HttpWorkerProtocol(servers, token));
    worker.start();
    PrintWriter out = spec.commandLine().getOut();
    out.printf(
        "Kairos worker %s serving pool %s with %d slots via %s%nStop with Ctrl+C.%n",
        worker.workerId(), pool, slots, String.join(", ", servers));
    out.flush();
    UpCommand.awaitShutdown(() -> worker.stop(Duration.ofSeconds(30)));
    return 0;
  }
}
