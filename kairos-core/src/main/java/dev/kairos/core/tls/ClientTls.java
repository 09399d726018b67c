package dev.kairos.core.tls;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;

/**
 * The client side of TLS: whom a client trusts, and what to tell a person when a handshake fails.
 * Clients (the CLI, workers, the SDK) trust the JDK's default CAs unless given CA certificates of
 * their own; then they trust those only, so that a private CA's server cannot be impersonated by a
 * certificate from a public one.
 */
public final class ClientTls {
  private ClientTls() {}

  /** A TLS context that trusts {@code cas} and nothing else. */
  public static SSLContext trusting(List<X509Certificate> cas) {
    try {
      KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
      trusted.load(null, null);
      for (int i = 0; i < cas.size(); i++) {
        trusted.setCertificateEntry("ca-" + i, cas.get(i));
      }
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(trusted);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("an in-memory trust store takes any certificate", e);
    }
  }

  /**
   * What went wrong in a failed connection to {@code url} when TLS is the cause, in one sentence;
   * null when it is not (a refused connection, a timeout).
   *
   * @param trustHint how to trust the server's CA, for the sentence saying it is not trusted
   */
  public static String explain(IOException e, String url, String trustHint) {
    if (url.startsWith("http://") && String.valueOf(e.getMessage()).contains("status line")) {
      // the JDK client read a TLS alert where an HTTP status line should have been
      return url + " did not answer in HTTP; if it serves HTTPS (--tls-cert), use https://";
    }
    if (!(e instanceof SSLException)) {
      return null;
    }
    if (causedBy(e, CertificateExpiredException.class)
        || causedBy(e, CertificateNotYetValidException.class)) {
      return "the certificate of "
          + url
          + " is not valid now (expired, or not yet valid): "
          + rootMessage(e);
    }
    if (causedBy(e, CertPathBuilderException.class)
        || causedBy(e, CertPathValidatorException.class)) {
      return "the certificate of "
          + url
          + " is not trusted: no CA this client trusts signed it; "
          + trustHint;
    }
    String message = String.valueOf(rootMessage(e));
    if (message.contains("No subject alternative") || message.contains("No name matching")) {
      return "the certificate of "
          + url
          + " is not for this address ("
          + message
          + "); connect by a name or IP address the certificate lists";
    }
    if (message.contains("Unsupported or unrecognized SSL message")) {
      return url + " does not answer in TLS; is it an http:// server?";
    }
    return (e instanceof SSLHandshakeException ? "the TLS handshake with " : "TLS with ")
        + url
        + " failed: "
        + message;
  }

  private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.toString() : root.getMessage();
  }
}
