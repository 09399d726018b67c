package dev.kairos.core.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A client trusts the CA it is given and no other, and a failed handshake is told in words: real
 * handshakes with a TLS socket in this JVM, so that the JDK's own exceptions are what is explained.
 */
class ClientTlsTest {
  static TestCertificates ours;
  static TestCertificates theirs;
  static SSLServerSocket tls;
  static ServerSocket plain;

  /** What Jetty's TLS port sends a client that speaks plain HTTP: a fatal alert record. */
  static ServerSocket alerting;

  @BeforeAll
  static void start() throws Exception {
    ours = TestCertificates.shared("RSA");
    theirs = TestCertificates.shared("EC");
    ServerIdentity identity =
        ServerIdentity.of(
            "cert",
            Files.readString(ours.serverChain()),
            "key",
            Files.readString(ours.serverKey()));
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(identity.keyStore(), ServerIdentity.PASSWORD.toCharArray());
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys.getKeyManagers(), null, null);
    tls =
        (SSLServerSocket)
            context
                .getServerSocketFactory()
                .createServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.ofVirtual().start(() -> serve(tls, null));
    plain = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.ofVirtual().start(() -> serve(plain, "HTTP/1.1 400 Bad Request\r\n\r\n"));
    alerting = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.ofVirtual().start(() -> serve(alerting, "\u0015\u0003\u0003\u0000\u0002\u0002P"));
  }

  @AfterAll
  static void stop() throws IOException {
    tls.close();
    plain.close();
    alerting.close();
  }

  /** Accepts connections: a TLS handshake on the TLS socket, a line of HTTP on the plain one. */
  private static void serve(ServerSocket server, String answer) {
    while (!server.isClosed()) {
      try (Socket s = server.accept()) {
        if (s instanceof SSLSocket ssl) {
          ssl.startHandshake();
        } else {
          // the request first (a client that is still sending when the socket closes may see a
          // reset instead of the answer)
          s.getInputStream().read(new byte[4096]);
          OutputStream out = s.getOutputStream();
          out.write(answer.getBytes(StandardCharsets.US_ASCII));
          out.flush();
        }
      } catch (IOException e) {
        // a client that refused the handshake: the next one
      }
    }
  }

  /** A handshake with the TLS socket as a client trusting {@code ca} that dials {@code host}. */
  private static void handshake(Path ca, String host, int port) throws IOException {
    SSLContext client = ClientTls.trusting(Pem.certificates(ca.toString(), Files.readString(ca)));
    Socket raw = new Socket(InetAddress.getLoopbackAddress(), port);
    try (SSLSocket s = (SSLSocket) client.getSocketFactory().createSocket(raw, host, port, true)) {
      SSLParameters params = s.getSSLParameters();
      params.setEndpointIdentificationAlgorithm("HTTPS");
      s.setSSLParameters(params);
      s.startHandshake();
    }
  }

  @Test
  void aServerWhoseCaIsGivenIsTrusted() throws Exception {
    handshake(ours.ca(), "127.0.0.1", tls.getLocalPort());
    handshake(ours.ca(), "localhost", tls.getLocalPort());
  }

  @Test
  void aServerSignedByAnotherCaIsNotTrustedAndTheClientIsToldWhatToDo() {
    IOException e =
        catchThrowableOfType(
            IOException.class, () -> handshake(theirs.ca(), "127.0.0.1", tls.getLocalPort()));
    assertThat(ClientTls.explain(e, "https://127.0.0.1:1", "give its CA with --ca-cert"))
        .isEqualTo(
            "the certificate of https://127.0.0.1:1 is not trusted: no CA this client trusts"
                + " signed it; give its CA with --ca-cert");
  }

  @Test
  void aCertificateForAnotherNameIsToldApart() {
    IOException e =
        catchThrowableOfType(
            IOException.class, () -> handshake(ours.ca(), "kairos.example", tls.getLocalPort()));
    assertThat(ClientTls.explain(e, "https://kairos.example:1", "hint"))
        .startsWith("the certificate of https://kairos.example:1 is not for this address (")
        .endsWith("); connect by a name or IP address the certificate lists");
  }

  @Test
  void aServerWithoutTlsIsToldApart() {
    IOException e =
        catchThrowableOfType(
            IOException.class, () -> handshake(ours.ca(), "127.0.0.1", plain.getLocalPort()));
    assertThat(ClientTls.explain(e, "https://127.0.0.1:1", "hint"))
        .isEqualTo("https://127.0.0.1:1 does not answer in TLS; is it an http:// server?");
  }

  @Test
  void plainHttpToATlsServerIsToldToUseHttps() throws Exception {
    String url = "http://127.0.0.1:" + alerting.getLocalPort();
    IOException e =
        catchThrowableOfType(
            IOException.class,
            () ->
                HttpClient.newHttpClient()
                    .send(
                        HttpRequest.newBuilder(URI.create(url + "/healthz"))
                            .timeout(Duration.ofSeconds(10))
                            .build(),
                        HttpResponse.BodyHandlers.ofString()));
    assertThat(ClientTls.explain(e, url, "hint"))
        .isEqualTo(url + " did not answer in HTTP; if it serves HTTPS (--tls-cert), use https://");
  }

  @Test
  void anotherIoFailureIsNotExplainedAsTls() {
    assertThat(ClientTls.explain(new IOException("connection refused"), "https://x", "hint"))
        .isNull();
    assertThat(ClientTls.trusting(List.of())).isNotNull();
  }
}
