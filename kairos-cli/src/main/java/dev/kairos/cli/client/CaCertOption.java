package dev.kairos.cli.client;

import dev.kairos.cli.tls.TlsFiles;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;
import picocli.CommandLine.Option;

/**
 * {@code --ca-cert FILE}: whom a client trusts for an {@code https://} server. Without it, the
 * JDK's CAs; with it, only the CAs in the file, so that a server of a private CA cannot be
 * impersonated with a certificate from a public one.
 */
public final class CaCertOption {
  static final String ENV = "KAIROS_CA_CERT";

  /** How to trust a server whose certificate was refused: the end of the error message. */
  public static final String HINT =
      "give the CA certificate that signed it with --ca-cert FILE (or " + ENV + ")";

  @Option(
      names = "--ca-cert",
      paramLabel = "FILE",
      defaultValue = "${env:" + ENV + "}",
      description =
          "PEM file of the CA certificate(s) to trust for an https:// server, instead of the"
              + " JDK's (env "
              + ENV
              + ").")
  Path caCert;

  /** The TLS context to connect with; null for the JDK's default trust. */
  public SSLContext sslContext() {
    if (caCert == null || caCert.toString().isEmpty()) {
      return null;
    }
    boolean fromEnv = caCert.toString().equals(System.getenv(ENV));
    return TlsFiles.trusting((fromEnv ? ENV + "=" : "--ca-cert ") + caCert, caCert);
  }
}
