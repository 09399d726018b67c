package dev.kairos.core.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway CA and a server certificate it signed for {@code 127.0.0.1} and {@code localhost},
 * made at test time with the JDK's keytool, so that no private key is committed: {@code ca.pem},
 * {@code server.pem} (the server's certificate, then the CA's) and {@code server.key} (PKCS#8), in
 * {@code dir}. Valid for two days.
 *
 * @param ca the CA certificate, PEM
 * @param serverChain the server's certificate chain, PEM
 * @param serverKey the server's private key, PKCS#8 PEM
 * @param key the same key
 */
public record TestCertificates(Path ca, Path serverChain, Path serverKey, PrivateKey key) {
  private static final String STORE_PASSWORD = "test-only";

  /** Those of this JVM, by key algorithm: keytool takes seconds, the tests share them. */
  private static final Map<String, TestCertificates> SHARED = new ConcurrentHashMap<>();

  /**
   * Certificates with a server key of {@code algorithm}, made once in this JVM in a temporary
   * directory that is removed when it exits.
   */
  public static TestCertificates shared(String algorithm) throws IOException {
    try {
      return SHARED.computeIfAbsent(algorithm, TestCertificates::makeTemporary);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private static TestCertificates makeTemporary(String algorithm) {
    try {
      Path dir = Files.createTempDirectory("kairos-test-certs-");
      Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir)));
      return make(dir, algorithm);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while keytool ran", e);
    }
  }

  private static void delete(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary directory left behind
    }
  }

  /**
   * Makes them in {@code dir} with a server key of {@code algorithm}, {@code RSA} or {@code EC}.
   */
  public static TestCertificates make(Path dir, String algorithm)
      throws IOException, InterruptedException {
    Files.createDirectories(dir);
    Path caStore = dir.resolve("ca.p12");
    Path serverStore = dir.resolve("server.p12");
    keytool(
        "-genkeypair",
        "-alias",
        "ca",
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=Kairos test CA",
        "-ext",
        "bc:c",
        "-validity",
        "2",
        "-keystore",
        caStore.toString());
    keytool(
        "-exportcert",
        "-rfc",
        "-alias",
        "ca",
        "-keystore",
        caStore.toString(),
        "-file",
        dir.resolve("ca.pem").toString());
    List<String> generate =
        new ArrayList<>(
            List.of(
                "-genkeypair",
                "-alias",
                "server",
                "-keyalg",
                algorithm,
                "-dname",
                "CN=localhost",
                "-validity",
                "2",
                "-keystore",
                serverStore.toString()));
    generate.addAll(
        algorithm.equals("EC") ? List.of("-groupname", "secp256r1") : List.of("-keysize", "2048"));
    keytool(generate.toArray(String[]::new));
    Path request = dir.resolve("server.csr");
    keytool(
        "-certreq",
        "-alias",
        "server",
        "-keystore",
        serverStore.toString(),
        "-file",
        request.toString());
    Path signed = dir.resolve("server.crt");
    keytool(
        "-gencert",
        "-rfc",
        "-alias",
        "ca",
        "-keystore",
        caStore.toString(),
        "-infile",
        request.toString(),
        "-outfile",
        signed.toString(),
        "-validity",
        "2",
        "-ext",
        "san=ip:127.0.0.1,dns:localhost",
        "-ext",
        "eku=serverAuth");
    Path chain = dir.resolve("server.pem");
    Files.writeString(chain, Files.readString(signed) + Files.readString(dir.resolve("ca.pem")));
    PrivateKey key = privateKey(serverStore);
    Path keyFile = dir.resolve("server.key");
    Files.writeString(keyFile, pem("PRIVATE KEY", key.getEncoded()));
    return new TestCertificates(dir.resolve("ca.pem"), chain, keyFile, key);
  }

  /** PEM text: the label's BEGIN line, the base64 in lines of 64, the END line. */
  public static String pem(String label, byte[] der) {
    String base64 =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + label + "-----\n" + base64 + "\n-----END " + label + "-----\n";
  }

  /** An RSA key as {@code openssl genrsa} wrote it: PKCS#1, {@code BEGIN RSA PRIVATE KEY}. */
  public static String pkcs1(PrivateKey rsa) {
    List<Der.Element> pkcs8 = Der.elements(Der.element(rsa.getEncoded()).content());
    return pem("RSA PRIVATE KEY", pkcs8.get(2).content());
  }

  /**
   * An EC key as {@code openssl ecparam -genkey} writes it: SEC 1 naming its curve, {@code BEGIN EC
   * PRIVATE KEY}.
   */
  public static String sec1(PrivateKey ec) {
    List<Der.Element> pkcs8 = Der.elements(Der.element(ec.getEncoded()).content());
    byte[] curve = Der.elements(pkcs8.get(1).content()).get(1).content();
    List<Der.Element> inner = Der.elements(Der.element(pkcs8.get(2).content()).content());
    byte[] sec1 =
        Der.encode(
            Der.SEQUENCE,
            Der.encode(Der.INTEGER, inner.get(0).content()),
            Der.encode(Der.OCTET_STRING, inner.get(1).content()),
            Der.encode(Der.CONTEXT_0, Der.encode(Der.OBJECT_IDENTIFIER, curve)));
    return pem("EC PRIVATE KEY", sec1);
  }

  private static PrivateKey privateKey(Path store) throws IOException {
    try (InputStream in = Files.newInputStream(store)) {
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(in, STORE_PASSWORD.toCharArray());
      return (PrivateKey) keys.getKey("server", STORE_PASSWORD.toCharArray());
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot read the key keytool made in " + store, e);
    }
  }

  private static void keytool(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    // a short-lived JVM: the client compiler alone starts it sooner
    command.add("-J-XX:TieredStopAtLevel=1");
    command.addAll(List.of(args));
    command.addAll(List.of("-storetype", "PKCS12", "-storepass", STORE_PASSWORD));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("keytool " + String.join(" ", args) + " failed: " + output);
    }
  }
}
