package dev.kairos.sdk;

import dev.kairos.core.tls.ClientTls;
import dev.kairos.core.tls.Pem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;

/** The CA certificates an SDK client or worker trusts for an {@code https://} server. */
final class CaCertificates {
  private CaCertificates() {}

  /**
   * A context trusting the CAs in {@code pemFile} only; a file that is not PEM certificates is a
   * {@link dev.kairos.core.tls.PemException} naming it.
   */
  static SSLContext trusting(Path pemFile) {
    String text;
    try {
      text = Files.readString(pemFile, StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the CA certificates in " + pemFile, e);
    }
    return ClientTls.trusting(Pem.certificates(pemFile.toString(), text));
  }
}
