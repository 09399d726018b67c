package dev.kairos.cli.tls;

import dev.kairos.core.tls.ClientTls;
import dev.kairos.core.tls.Pem;
import dev.kairos.core.tls.PemException;
import dev.kairos.core.tls.ServerIdentity;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;

/**
 * The PEM files of the TLS flags, read and checked before anything starts: a problem is one line
 * that names the flag, the file and what is wrong with it.
 */
public final class TlsFiles {
  private TlsFiles() {}

  /** {@code --tls-cert} and {@code --tls-key}: the server's certificate chain and its key. */
  public static ServerIdentity identity(Path cert, Path key) {
    String certSource = "--tls-cert " + cert;
    String keySource = "--tls-key " + key;
    return ServerIdentity.of(certSource, read(certSource, cert), keySource, read(keySource, key));
  }

  /** A client context trusting the CA certificates in {@code file} and no others. */
  public static SSLContext trusting(String source, Path file) {
    return ClientTls.trusting(Pem.certificates(source, read(source, file)));
  }

  private static String read(String source, Path file) {
    try {
      // PEM is ASCII; a binary (DER) file read as Latin-1 fails as "not PEM", not as a decoding
      return Files.readString(file, StandardCharsets.ISO_8859_1);
    } catch (NoSuchFileException e) {
      throw new PemException(source, "no such file");
    } catch (AccessDeniedException e) {
      throw new PemException(source, "cannot be read: permission denied");
    } catch (IOException e) {
      throw new PemException(source, "cannot be read: " + e.getMessage());
    }
  }
}
