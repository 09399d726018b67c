package dev.kairos.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kairos.cli.Main;
import dev.kairos.core.tls.TestCertificates;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server given a certificate and key serves HTTPS only: a worker and the CLI that trust its CA
 * ({@code --ca-cert}, {@code KAIROS_CA_CERT}) run and list a job through it, and a client that does
 * not trust it gets one line saying why, never a stack trace. The certificates are made by keytool
 * for the test.
 */
class TlsIT {
  @TempDir static Path dir;
  static TestCertificates certs;

  static final String JOB =
      """
      apiVersion: kairos.dev/v1
      kind: Job
      metadata: {name: over-tls}
      spec:
        task:
          shell: {command: "echo secret handshake"}
      """;

  @BeforeAll
  static void make() throws Exception {
    certs = TestCertificates.shared("RSA");
  }

  record Result(int code, String out, String err) {}

  /** The kairos command in this JVM, against the server whose state directory is {@code state}. */
  static Result kairos(Path state, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--state-dir", state.toString()));
    int code = Main.run(all.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err));
    return new Result(code, out.toString(), err.toString());
  }

  /** The kairos command in a process of its own, with {@code env} added to its environment. */
  static Result process(Map<String, String> env, String... args) throws Exception {
    List<String> cmd = KairosProcess.java();
    cmd.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(cmd);
    builder.environment().putAll(env);
    Process p = builder.start();
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes();
    byte[] err = p.getErrorStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("kairos " + String.join(" ", args) + " did not exit");
    }
    return new Result(
        p.exitValue(),
        new String(out, StandardCharsets.UTF_8),
        new String(err, StandardCharsets.UTF_8));
  }

  @Test
  void aWorkerAndTheCliThatTrustItsCaRunAJobOverHttpsAndOthersAreToldWhyNot() throws Exception {
    Path state = dir.resolve("state");
    String ca = certs.ca().toString();
    try (KairosProcess server = KairosProcess.serverWithTls(state, certs).start();
        WorkerProcess worker =
            WorkerProcess.start(server.url(), state, dir.resolve("worker.log"), "--ca-cert", ca)) {
      assertThat(server.url()).startsWith("https://127.0.0.1:");
      assertThat(Files.readString(state.resolve("server.url")).trim()).isEqualTo(server.url());
      assertThat(server.log()).contains("Kairos server is up: " + server.url());

      Result applied = kairos(state, "apply", "-f", write("job.yaml", JOB), "--ca-cert", ca);
      assertThat(applied.code()).as(applied.err()).isZero();
      Result triggered = kairos(state, "trigger", "over-tls", "--ca-cert", ca);
      assertThat(triggered.code()).as(triggered.err()).isZero();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() ->
              server
                  .get("/api/v1/runs?job=default/over-tls")
                  .get("items")
                  .get(0)
                  .get("state")
                  .asText()
                  .equals("SUCCEEDED"));
      Result runs = kairos(state, "runs", "over-tls", "--ca-cert", ca);
      assertThat(runs.code()).as(runs.err()).isZero();
      assertThat(runs.out()).contains("SUCCEEDED");
      // the same CA through the environment, as a script would give it
      Result fromEnv =
          process(
              Map.of("KAIROS_CA_CERT", ca), "runs", "over-tls", "--state-dir", state.toString());
      assertThat(fromEnv.code()).as(fromEnv.err()).isZero();
      assertThat(fromEnv.out()).contains("SUCCEEDED");

      // the JDK's CAs did not sign it: refused, in a sentence that says what to do
      Result untrusted = kairos(state, "runs", "over-tls");
      assertThat(untrusted.code()).isEqualTo(1);
      assertThat(untrusted.err())
          .isEqualTo(
              "kairos: the certificate of "
                  + server.url()
                  + " is not trusted: no CA this client trusts signed it; give the CA certificate"
                  + " that signed it with --ca-cert FILE (or KAIROS_CA_CERT)\n");
      // a CA file that is not one
      Result notPem = kairos(state, "runs", "--ca-cert", certs.serverKey().toString());
      assertThat(notPem.code()).isEqualTo(1);
      assertThat(notPem.err())
          .isEqualTo(
              "kairos: --ca-cert "
                  + certs.serverKey()
                  + ": holds no certificate (it has PRIVATE KEY); expected a -----BEGIN"
                  + " CERTIFICATE----- block\n");
      // plain HTTP on the same port is not served
      String plain = server.url().replace("https://", "http://");
      Result overHttp = kairos(state, "runs", "--server", plain);
      assertThat(overHttp.code()).isEqualTo(1);
      assertThat(overHttp.err())
          .isEqualTo(
              "kairos: "
                  + plain
                  + " did not answer in HTTP; if it serves HTTPS (--tls-cert), use https://\n");

      assertThat(worker.log()).doesNotContain("not trusted");
    }
  }

  private static String write(String name, String text) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, text);
    return file.toString();
  }
}
