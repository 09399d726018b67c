package dev.kairos.sdk;

import dev.kairos.worker.Worker;
import dev.kairos.worker.WorkerConfig;
import dev.kairos.worker.contain.Containment;
import dev.kairos.worker.empty.EmptyExecutor;
import dev.kairos.worker.http.HttpWorkerProtocol;
import dev.kairos.worker.limits.LimitEnforcer;
import dev.kairos.worker.shell.ShellExecutor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;

/**
 * A Kairos worker embedded in an application: it runs the application's {@link TaskHandler}s for
 * {@code java:} tasks (and shell and empty tasks, like any worker), over HTTP with a worker token.
 *
 * <pre>{@code
 * KairosWorker worker = KairosWorker.builder("http://127.0.0.1:7070", workerToken)
 *     .pool("java")
 *     .handler("transform", ctx -> Map.of("rows", "42"))
 *     .start();
 * ...
 * worker.close(); // finishes running tasks within the grace period, gives back the rest
 * }</pre>
 */
public final class KairosWorker implements AutoCloseable {
  private final Worker worker;

  private KairosWorker(Worker worker) {
    this.worker = worker;
  }

  public static Builder builder(String serverUrl, String workerToken) {
    return new Builder(List.of(serverUrl), workerToken);
  }

  /** Stops polling, lets running tasks finish within the grace period, then gives back the rest. */
  @Override
  public void close() {
    worker.stop();
  }

  /** How the worker is set up; {@link #start()} connects it. */
  public static final class Builder {
    private final List<String> servers;
    private final String token;
    private final Map<String, TaskHandler> handlers = new LinkedHashMap<>();
    private WorkerConfig config = WorkerConfig.defaults();
    private SSLContext tls;

    private Builder(List<String> servers, String token) {
      if (token == null || token.isBlank()) {
        throw new IllegalArgumentException("a worker token is required");
      }
      this.servers = servers;
      this.token = token;
    }

    /** Registers the code of {@code java: {handler: name}} tasks. */
    public Builder handler(String name, TaskHandler handler) {
      if (!dev.kairos.core.spec.JavaSpec.HANDLER.matcher(name).matches()) {
        throw new IllegalArgumentException(
            "handler name \"" + name + "\": a letter, then letters, digits, '.', '_' and '-'");
      }
      if (handlers.putIfAbsent(name, handler) != null) {
        throw new IllegalArgumentException("handler " + name + " is registered twice");
      }
      return this;
    }

    /** The pool whose tasks it runs (default {@code default}). */
    public Builder pool(String pool) {
      config = config.withPool(pool);
      return this;
    }

    /** How many tasks it runs at once (default: the worker's default). */
    public Builder slots(int slots) {
      config = config.withSlots(slots);
      return this;
    }

    /** How long running tasks may take to finish when it is closed. */
    public Builder shutdownGrace(Duration grace) {
      config = config.withShutdownGrace(grace);
      return this;
    }

    /**
     * Trusts the CA certificates in {@code pemFile}, and no others, for an {@code https://} server
     * (default: the JDK's CAs).
     */
    public Builder caCertificates(Path pemFile) {
      tls = CaCertificates.trusting(pemFile);
      return this;
    }

    /** Where shell tasks get their working directories. */
    public Builder workRoot(Path dir) {
      config = config.withWorkRoot(dir);
      return this;
    }

    public KairosWorker start() {
      Worker worker =
          new Worker(
              config,
              new HttpWorkerProtocol(servers, token, tls),
              List.of(
                  new JavaExecutor(handlers),
                  new ShellExecutor(
                      config.killGrace(),
                      LimitEnforcer.detect(config.workerId()),
                      Containment.start(config.stateDir())),
                  new EmptyExecutor()));
      worker.start();
      return new KairosWorker(worker);
    }
  }
}
