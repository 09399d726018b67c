package dev.kairos.cli;

import dev.kairos.cli.client.CaCertOption;
import dev.kairos.core.protocol.Capacity;
import dev.kairos.core.spec.Durations;
import dev.kairos.core.spec.Names;
import dev.kairos.core.spec.ValidationException;
import dev.kairos.worker.Worker;
import dev.kairos.worker.WorkerConfig;
import dev.kairos.worker.http.HttpWorkerProtocol;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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
      "Give several --server URLs (comma-separated) to fail over between replicas.",
      "SIGTERM stops polling, lets running attempts finish within --grace, then gives the rest"
          + " back to be queued again."
    })
public final class WorkerCommand implements Callable<Integer> {
  @Mixin LogOptions logs;

  static final int DEFAULT_SLOTS = 16;
  static final Duration GRACE_MAX = Duration.ofHours(1);
  static final Duration HEARTBEAT_MIN = Duration.ofMillis(100);
  static final Duration HEARTBEAT_MAX = Duration.ofHours(1);

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
      names = "--cluster",
      defaultValue = "default",
      description = "Cluster this worker runs in, e.g. a region (default ${DEFAULT-VALUE}).")
  String cluster;

  @Option(
      names = "--capacity",
      paramLabel = "cpu=N,memory=Q,slots=N",
      description =
          "What this worker offers, e.g. cpu=2,memory=4Gi,slots=16: cpu in cores or millicores"
              + " (500m), memory as a Kubernetes quantity (512Mi, 4Gi, 1G), slots = attempts run"
              + " at once. Left out: this machine's processors and physical memory, "
              + DEFAULT_SLOTS
              + " slots.")
  String capacity;

  @Option(
      names = "--slots",
      description =
          "Attempts run at once: the same as --capacity slots=N (default " + DEFAULT_SLOTS + ").")
  Integer slots;

  @Option(
      names = "--label",
      paramLabel = "key=value",
      description = "A label describing this worker, e.g. zone=eu-1a (repeatable).")
  List<String> labels;

  @Option(
      names = "--grace",
      defaultValue = "30s",
      description =
          "On SIGTERM, how long running attempts may take to finish before the rest are given"
              + " back: 0s to 1h (default ${DEFAULT-VALUE}).")
  String grace;

  @Option(
      names = "--work-dir",
      description = "Where attempts get their working directories (default: the temp dir).")
  Path workDir;

  @Option(
      names = "--heartbeat",
      description =
          "Lease renewal interval, 100ms to 1h (default: the interval the server announces, a"
              + " third of its --lease unless its --heartbeat says otherwise).")
  String heartbeat;

  @Mixin PassEnvOption passEnv;

  @Mixin CaCertOption ca;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    logs.apply();
    WorkerConfig config = config();
    String token = token();
    Worker worker = new Worker(config, new HttpWorkerProtocol(servers, token, ca.sslContext()));
    worker.start();
    PrintWriter out = spec.commandLine().getOut();
    out.printf(
        "Kairos worker %s serving pool %s in cluster %s with %s%s via %s%nStop with Ctrl+C.%n",
        worker.workerId(),
        pool,
        cluster,
        config.declaration().capacity(),
        config.declaration().labels().isEmpty()
            ? ""
            : " labels " + new TreeMap<>(config.declaration().labels()),
        String.join(", ", servers));
    out.flush();
    UpCommand.awaitShutdown(worker::stop);
    return 0;
  }

  /** The worker's settings from the flags; a bad flag is a usage error naming it. */
  WorkerConfig config() {
    WorkerConfig config = WorkerConfig.defaults();
    name("--pool", pool);
    name("--cluster", cluster);
    Map<String, String> labelMap =
        parse("--label", () -> LabelFlags.parse(labels == null ? List.of() : labels));
    Capacity base =
        config.declaration().capacity().withSlots(slots == null ? DEFAULT_SLOTS : checkSlots());
    Capacity offered =
        capacity == null ? base : parse("--capacity", () -> Capacity.parse(capacity, base));
    if (slots != null && offered.slots() != slots) {
      throw usage(
          "--slots "
              + slots
              + " contradicts --capacity slots="
              + offered.slots()
              + "; give the slot count once");
    }
    Duration graceTime = duration("--grace", grace, Duration.ZERO, GRACE_MAX);
    config =
        config
            .withPool(pool)
            .withCluster(cluster)
            .withLabels(labelMap)
            .withCapacity(offered)
            .withShutdownGrace(graceTime);
    if (heartbeat != null) {
      Duration interval = duration("--heartbeat", heartbeat, HEARTBEAT_MIN, HEARTBEAT_MAX);
      config = config.withHeartbeatInterval(interval);
    }
    config = config.withPassEnv(passEnv.names());
    return workDir == null ? config : config.withWorkRoot(workDir);
  }

  private int checkSlots() {
    if (slots < 1 || slots > Capacity.MAX_SLOTS) {
      throw usage("--slots: must be 1 to " + Capacity.MAX_SLOTS);
    }
    return slots;
  }

  private void name(String flag, String value) {
    String problem = Names.checkDnsLabel(value);
    if (problem != null) {
      throw usage(flag + ": \"" + value + "\": " + problem);
    }
  }

  /** Runs a parser, turning what it rejects into a usage error that names the flag. */
  private <T> T parse(String flag, java.util.function.Supplier<T> parser) {
    try {
      return parser.get();
    } catch (ValidationException | IllegalArgumentException e) {
      throw usage(flag + ": " + e.getMessage());
    }
  }

  private Duration duration(String flag, String text, Duration min, Duration max) {
    return parse(
        flag,
        () -> {
          try {
            return Durations.parseWithin(text, min, max);
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                "\""
                    + text
                    + "\": "
                    + e.getMessage()
                    + " (allowed: "
                    + Durations.format(min)
                    + " to "
                    + Durations.format(max)
                    + ")");
          }
        });
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }

  private String token() throws java.io.IOException {
    String token = System.getenv("KAIROS_WORKER_TOKEN");
    if (token != null && !token.isBlank()) {
      return token;
    }
    Path file = tokenFile != null ? tokenFile : stateDir.resolve("worker.token");
    if (!Files.exists(file)) {
      throw usage(
          "no worker token: " + file + " does not exist (use --token-file or KAIROS_WORKER_TOKEN)");
    }
    return Files.readString(file).trim();
  }
}
