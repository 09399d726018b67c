package dev.kairos.cli.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kairos.core.tls.ClientTls;
import dev.kairos.core.tls.Pem;
import dev.kairos.core.tls.TestCertificates;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/**
 * A real {@code kairos up} in its own JVM, started from the shaded jar on a free loopback port,
 * with a small JSON client for its API. Used by the end-to-end tests.
 */
final class KairosProcess implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /** The client of its API: plain, or trusting the CA of its certificate. */
  private final HttpClient http;

  private final String scheme;

  private final Path stateDir;
  private final List<String> extraArgs;
  private final Path logFile;
  private Process process;
  private int port;
  private String token;

  private final String command;

  /** {@code kairos up} (server + local worker) with {@code extraArgs}. */
  static KairosProcess up(Path stateDir, String... extraArgs) {
    return new KairosProcess(stateDir, "up", List.of(extraArgs), HTTP, "http");
  }

  /** {@code kairos server} (no local worker) with {@code extraArgs}. */
  static KairosProcess server(Path stateDir, String... extraArgs) {
    return new KairosProcess(stateDir, "server", List.of(extraArgs), HTTP, "http");
  }

  /**
   * {@code kairos server} serving HTTPS with the certificate and key made for the test ({@code
   * --tls-cert}, {@code --tls-key}); its own calls trust their CA.
   */
  static KairosProcess serverWithTls(Path stateDir, TestCertificates certs, String... extraArgs)
      throws IOException {
    List<String> args = new ArrayList<>(List.of(extraArgs));
    args.addAll(
        List.of(
            "--tls-cert",
            certs.serverChain().toString(),
            "--tls-key",
            certs.serverKey().toString()));
    SSLContext trust =
        ClientTls.trusting(Pem.certificates(certs.ca().toString(), Files.readString(certs.ca())));
    HttpClient https =
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).sslContext(trust).build();
    return new KairosProcess(stateDir, "server", args, https, "https");
  }

  private KairosProcess(
      Path stateDir, String command, List<String> extraArgs, HttpClient http, String scheme) {
    this.command = command;
    this.stateDir = stateDir;
    this.extraArgs = extraArgs;
    this.http = http;
    this.scheme = scheme;
    this.logFile = stateDir.resolveSibling(stateDir.getFileName() + "-" + command + ".log");
  }

  static Path jar() {
    String jar = System.getProperty("kairos.jar", "target/kairos.jar");
    Path path = Path.of(jar);
    if (!Files.exists(path)) {
      throw new IllegalStateException("kairos.jar not built: " + path + " (run ./mvnw verify)");
    }
    return path;
  }

  /**
   * {@code java [options] -jar kairos.jar}: the JVM options come from {@code kairos.e2e.jvmArgs}
   * (space-separated; the build sets them), by default none.
   */
  static List<String> java() {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String option : System.getProperty("kairos.e2e.jvmArgs", "").split(" ")) {
      if (!option.isBlank()) {
        cmd.add(option);
      }
    }
    cmd.add("-jar");
    cmd.add(jar().toString());
    return cmd;
  }

  /**
   * Starts the process (again, after a kill, on the same port and state dir) and waits for health.
   */
  KairosProcess start() throws Exception {
    if (port == 0) {
      port = freePort();
    }
    List<String> cmd = java();
    cmd.add(command);
    cmd.add("--port");
    cmd.add(String.valueOf(port));
    cmd.add("--state-dir");
    cmd.add(stateDir.toString());
    cmd.addAll(extraArgs);
    process =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
            .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("kairos up exited: " + Files.readString(logFile));
      }
      // healthy, and server.url written (just after the API starts listening): a CLI call that
      // reads the state directory finds this server, not the one before it
      Path urlFile = stateDir.resolve("server.url");
      if (healthy() && Files.exists(urlFile) && Files.readString(urlFile).trim().equals(url())) {
        token = Files.readString(stateDir.resolve("admin.token")).trim();
        return this;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException(
        "kairos up did not become healthy: " + Files.readString(logFile));
  }

  /** SIGKILL: no shutdown hook runs, nothing is flushed. */
  void kill9() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  /** Whether the process is still running (it has not exited or been killed). */
  boolean alive() {
    return process != null && process.isAlive();
  }

  String url() {
    return scheme + "://127.0.0.1:" + port;
  }

  String token() {
    return token;
  }

  String log() throws IOException {
    return Files.readString(logFile);
  }

  private boolean healthy() {
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(url() + "/healthz")).build(),
              HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** A JSON response: status and body. */
  record Response(int status, JsonNode body) {}

  Response call(String method, String path, String body, String... headers) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url() + path))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + token)
            .header(
                "Content-Type",
                path.equals("/api/v1/jobs") ? "application/yaml" : "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    JsonNode json = r.body().isEmpty() ? JSON.nullNode() : JSON.readTree(r.body());
    return new Response(r.statusCode(), json);
  }

  /** Applies a job manifest (YAML); returns the HTTP status (201 created, 200 updated). */
  int apply(String yaml) throws Exception {
    return call("PUT", "/api/v1/jobs", yaml).status();
  }

  JsonNode get(String path) throws Exception {
    Response r = call("GET", path, null);
    if (r.status() != 200) {
      throw new IllegalStateException("GET " + path + " -> " + r.status() + " " + r.body());
    }
    return r.body();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() throws Exception {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }
}
