package dev.kairos.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kairos.core.tls.ServerIdentity;
import dev.kairos.core.tls.TestCertificates;
import dev.kairos.server.KairosServer;
import dev.kairos.server.ServerConfig;
import dev.kairos.store.Store;
import dev.kairos.store.StoreConfig;
import dev.kairos.store.StoreFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SDK's client and worker against an HTTPS server, trusting its CA and only it. */
class SdkTlsTest {
  @TempDir Path dir;
  static TestCertificates certs;

  @BeforeAll
  static void make() throws Exception {
    certs = TestCertificates.shared("RSA");
  }

  Store store;
  KairosServer server;
  String adminToken;

  @BeforeEach
  void start() throws Exception {
    ServerIdentity identity =
        ServerIdentity.of(
            "cert",
            Files.readString(certs.serverChain()),
            "key",
            Files.readString(certs.serverKey()));
    store = StoreFactory.open(StoreConfig.sqlite(dir));
    server =
        new KairosServer(
            ServerConfig.defaults(dir).withPort(0).withTls(identity), store, Clock.systemUTC());
    server.start();
    adminToken = Files.readString(server.adminTokenFile()).trim();
  }

  @AfterEach
  void stop() {
    server.close();
    store.close();
  }

  @Test
  void aClientAndAWorkerGivenTheCaRunAJavaTaskOverHttps() throws Exception {
    KairosClient client = KairosClient.connect(server.url(), adminToken, certs.ca());
    String workerToken = Files.readString(dir.resolve("worker.token")).trim();
    try (KairosWorker worker =
        KairosWorker.builder(server.url(), workerToken)
            .caCertificates(certs.ca())
            .pool("java")
            .workRoot(dir.resolve("work"))
            .handler("hello", ctx -> Map.of("said", "hello"))
            .start()) {
      client.apply(Job.named("greeting").pool("java").tasks(Task.java("main", "hello")).build());
      long run = client.trigger("default", "greeting");
      assertThat(client.await(run, Duration.ofSeconds(30)).succeeded()).isTrue();
    }
  }

  @Test
  void aClientWithoutTheCaIsToldTheCertificateIsNotTrusted() {
    KairosClient client = KairosClient.connect(server.url(), adminToken);
    assertThatThrownBy(() -> client.trigger("default", "nothing"))
        .isInstanceOf(KairosClient.KairosException.class)
        .hasMessage(
            "the certificate of "
                + server.url()
                + " is not trusted: no CA this client trusts signed it; connect with"
                + " KairosClient.connect(url, token, caCertificates)");
  }
}
