package dev.kairos.core.tls;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * What a server presents in a TLS handshake: its certificate, the CA certificates between it and a
 * root, and the private key of the first. Made from PEM text; nothing is written anywhere, the key
 * store is in memory.
 *
 * @param chain the server's certificate first, then the CAs that signed it, in order
 * @param key the private key of {@code chain.get(0)}
 */
public record ServerIdentity(List<X509Certificate> chain, PrivateKey key) {
  /** The alias and password of the key in {@link #keyStore()}: in memory only. */
  public static final String ALIAS = "kairos";

  public static final String PASSWORD = "kairos";

  public ServerIdentity {
    chain = List.copyOf(chain);
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("a server identity needs the server's certificate");
    }
  }

  /**
   * The identity in two PEM texts. The key must be that of the first certificate: a mismatch would
   * otherwise show only as handshakes failing at every client.
   */
  public static ServerIdentity of(
      String certSource, String certText, String keySource, String keyText) {
    List<X509Certificate> chain = Pem.certificates(certSource, certText);
    PrivateKey key = Pem.privateKey(keySource, keyText);
    if (!belongsTo(key, chain.get(0).getPublicKey())) {
      throw new PemException(
          keySource,
          "is not the key of the first certificate in "
              + certSource
              + " (the server's own certificate comes first, then the CAs that signed it)");
    }
    return new ServerIdentity(chain, key);
  }

  /** A PKCS#12 key store in memory holding the key and chain under {@link #ALIAS}. */
  public KeyStore keyStore() {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry(ALIAS, key, PASSWORD.toCharArray(), chain.toArray(new X509Certificate[0]));
      return store;
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalStateException("an in-memory PKCS#12 store takes any key", e);
    }
  }

  /** Names the certificate, never the key: a config that holds an identity may be logged. */
  @Override
  public String toString() {
    return "ServerIdentity[" + chain.get(0).getSubjectX500Principal().getName() + "]";
  }

  /** Whether a signature made with {@code key} verifies with {@code certified}. */
  private static boolean belongsTo(PrivateKey key, PublicKey certified) {
    if (!key.getAlgorithm().equals(certified.getAlgorithm())) {
      return false;
    }
    String algorithm =
        switch (key.getAlgorithm()) {
          case "RSA" -> "SHA256withRSA";
          case "EC" -> "SHA256withECDSA";
          case "Ed25519", "Ed448", "EdDSA" -> key.getAlgorithm();
          // RSASSA-PSS signatures need parameters the certificate carries; the handshake checks
          default -> null;
        };
    if (algorithm == null) {
      return true;
    }
    byte[] probe =
        "kairos: does this key belong to this certificate".getBytes(StandardCharsets.US_ASCII);
    try {
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(certified);
      verifier.update(probe);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}
