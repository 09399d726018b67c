package dev.kairos.cli.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A real {@code kairos worker} in its own JVM, connected to a server over HTTP. */
final class WorkerProcess implements AutoCloseable {
  private final Process process;
  private final Path log;
  private final String workerId;

  private WorkerProcess(Process process, Path log, String workerId) {
    this.process = process;
    this.log = log;
    this.workerId = workerId;
  }

  /** Starts a worker and waits until it reports its id. */
  static WorkerProcess start(String serverUrls, Path stateDir, Path log, String... extra)
      throws Exception {
    return start(serverUrls, stateDir, log, Map.of(), extra);
  }

  /** Starts a worker with these variables added to its environment. */
  static WorkerProcess start(
      String serverUrls, Path stateDir, Path log, Map<String, String> env, String... extra)
      throws Exception {
    List<String> cmd = KairosProcess.java();
    cmd.addAll(List.of("worker", "--server", serverUrls, "--state-dir", stateDir.toString()));
    cmd.addAll(List.of(extra));
    ProcessBuilder builder =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().putAll(env);
    Process p = builder.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      String text = Files.exists(log) ? Files.readString(log) : "";
      int at = text.indexOf("Kairos worker ");
      if (at >= 0) {
        String id = text.substring(at + "Kairos worker ".length()).split(" ")[0];
        return new WorkerProcess(p, log, id);
      }
      if (!p.isAlive()) {
        throw new IllegalStateException("kairos worker exited: " + text);
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("kairos worker did not start: " + Files.readString(log));
  }

  String workerId() {
    return workerId;
  }

  /** Whether the process is still running (it has not exited or been killed). */
  boolean alive() {
    return process.isAlive();
  }

  void kill9() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  String log() throws java.io.IOException {
    return Files.readString(log);
  }

  @Override
  public void close() throws Exception {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(40, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }
}
