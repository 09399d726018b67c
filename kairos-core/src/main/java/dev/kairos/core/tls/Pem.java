package dev.kairos.core.tls;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Certificates and private keys from PEM text, with the JDK alone (no BouncyCastle): X.509
 * certificates, and unencrypted private keys as PKCS#8 ({@code BEGIN PRIVATE KEY}, what {@code
 * openssl genpkey} and {@code keytool} exports write), PKCS#1 ({@code BEGIN RSA PRIVATE KEY}) or
 * SEC 1 ({@code BEGIN EC PRIVATE KEY}, what {@code openssl ecparam -genkey} writes). The JDK reads
 * only PKCS#8; the other two are wrapped into it.
 *
 * <p>Every problem is a {@link PemException} that names {@code source} (the flag and file, say).
 */
public final class Pem {
  private static final Pattern BLOCK =
      Pattern.compile(
          "-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END ([A-Z0-9 ]+)-----", Pattern.DOTALL);

  /** PKCS#8 algorithm identifiers and the JDK's names for them. */
  private static final Map<String, String> ALGORITHMS =
      Map.of(
          "1.2.840.113549.1.1.1", "RSA",
          "1.2.840.113549.1.1.10", "RSASSA-PSS",
          "1.2.840.10045.2.1", "EC",
          "1.3.101.112", "Ed25519",
          "1.3.101.113", "Ed448");

  private static final String RSA_ENCRYPTION = "1.2.840.113549.1.1.1";
  private static final String EC_PUBLIC_KEY = "1.2.840.10045.2.1";

  private static final Set<String> KEY_LABELS =
      Set.of("PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY", "ENCRYPTED PRIVATE KEY");

  private Pem() {}

  /** A block: its label ({@code CERTIFICATE}), its headers (legacy encryption), its bytes. */
  private record Block(String label, boolean encrypted, byte[] der) {}

  /** Every certificate in {@code text}, in order; at least one. */
  public static List<X509Certificate> certificates(String source, String text) {
    List<Block> blocks = blocks(source, text);
    List<X509Certificate> certificates = new ArrayList<>();
    CertificateFactory factory = x509();
    for (Block b : blocks) {
      if (!b.label().equals("CERTIFICATE")) {
        continue;
      }
      try {
        certificates.add(
            (X509Certificate) factory.generateCertificate(new ByteArrayInputStream(b.der())));
      } catch (CertificateException e) {
        throw new PemException(
            source,
            "certificate "
                + (certificates.size() + 1)
                + " is not a valid X.509 certificate: "
                + e.getMessage());
      }
    }
    if (certificates.isEmpty()) {
      throw new PemException(
          source,
          "holds no certificate (it has "
              + labels(blocks)
              + "); expected a -----BEGIN CERTIFICATE----- block");
    }
    return List.copyOf(certificates);
  }

  /** The one private key in {@code text}. */
  public static PrivateKey privateKey(String source, String text) {
    List<Block> blocks = blocks(source, text);
    List<Block> keys = blocks.stream().filter(b -> KEY_LABELS.contains(b.label())).toList();
    if (keys.isEmpty()) {
      throw new PemException(
          source,
          "holds no private key (it has "
              + labels(blocks)
              + "); expected a -----BEGIN PRIVATE KEY-----, RSA PRIVATE KEY or EC PRIVATE KEY"
              + " block");
    }
    if (keys.size() > 1) {
      throw new PemException(source, "holds " + keys.size() + " private keys; give one");
    }
    Block key = keys.get(0);
    if (key.encrypted() || key.label().equals("ENCRYPTED PRIVATE KEY")) {
      throw new PemException(
          source,
          "the private key is encrypted, and Kairos reads unencrypted keys only: decrypt it"
              + " (openssl pkey -in FILE -out KEY.pem) into a file only the server's user may read");
    }
    try {
      byte[] pkcs8 =
          switch (key.label()) {
            case "RSA PRIVATE KEY" -> pkcs8(RSA_ENCRYPTION, Der.encode(Der.NULL), key.der());
            case "EC PRIVATE KEY" -> pkcs8(EC_PUBLIC_KEY, Der.oid(curveOf(key.der())), key.der());
            default -> key.der();
          };
      String algorithm = algorithmOf(pkcs8);
      return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
    } catch (IllegalArgumentException e) {
      throw new PemException(
          source, "the " + key.label() + " block is not a valid key: " + e.getMessage());
    } catch (GeneralSecurityException e) {
      throw new PemException(
          source, "the " + key.label() + " block is not a valid key: " + e.getMessage(), e);
    }
  }

  private static List<Block> blocks(String source, String text) {
    List<Block> blocks = new ArrayList<>();
    Matcher m = BLOCK.matcher(text);
    while (m.find()) {
      String label = m.group(1);
      if (!label.equals(m.group(3))) {
        throw new PemException(
            source, "a -----BEGIN " + label + "----- block ends with END " + m.group(3));
      }
      String body = m.group(2);
      boolean encrypted = false;
      StringBuilder base64 = new StringBuilder();
      for (String line : body.split("\\R")) {
        if (line.contains(":")) {
          // RFC 1421 headers: Proc-Type: 4,ENCRYPTED and DEK-Info mark an encrypted PKCS#1 key
          encrypted |= line.startsWith("Proc-Type:") && line.contains("ENCRYPTED");
        } else {
          base64.append(line.strip());
        }
      }
      try {
        blocks.add(new Block(label, encrypted, Base64.getDecoder().decode(base64.toString())));
      } catch (IllegalArgumentException e) {
        throw new PemException(
            source, "the " + label + " block is not valid base64: " + e.getMessage());
      }
    }
    if (blocks.isEmpty()) {
      throw new PemException(
          source,
          text.isBlank()
              ? "is empty"
              : "is not PEM (no -----BEGIN ...----- line); a binary DER file converts with"
                  + " openssl x509 -inform der (a certificate) or openssl pkey -inform der (a key)");
    }
    return blocks;
  }

  private static String labels(List<Block> blocks) {
    Set<String> labels = new LinkedHashSet<>();
    blocks.forEach(b -> labels.add(b.label()));
    return String.join(", ", labels);
  }

  /** PKCS#8 around a PKCS#1 or SEC 1 key: version 0, the algorithm, the key as an octet string. */
  private static byte[] pkcs8(String algorithmOid, byte[] parameters, byte[] key) {
    return Der.encode(
        Der.SEQUENCE,
        Der.encode(Der.INTEGER, new byte[] {0}),
        Der.encode(Der.SEQUENCE, Der.oid(algorithmOid), parameters),
        Der.encode(Der.OCTET_STRING, key));
  }

  /** The named curve of a SEC 1 key, from its {@code [0]} parameters. */
  private static String curveOf(byte[] sec1) {
    Der.Element key = Der.element(sec1);
    for (Der.Element e : Der.elements(key.content())) {
      if (e.tag() == Der.CONTEXT_0) {
        Der.Element curve = Der.element(e.content());
        if (curve.tag() != Der.OBJECT_IDENTIFIER) {
          throw new IllegalArgumentException(
              "its curve is given by explicit parameters, not a name");
        }
        return Der.oid(curve.content());
      }
    }
    throw new IllegalArgumentException(
        "it names no curve (openssl ecparam -genkey -name prime256v1 writes one that does)");
  }

  /** The JDK's name for the algorithm of a PKCS#8 key. */
  private static String algorithmOf(byte[] pkcs8) {
    List<Der.Element> parts = Der.elements(Der.element(pkcs8).content());
    if (parts.size() < 3 || parts.get(1).tag() != Der.SEQUENCE) {
      throw new IllegalArgumentException("it is not a PKCS#8 structure");
    }
    Der.Element oid = Der.elements(parts.get(1).content()).get(0);
    String dotted = Der.oid(oid.content());
    String name = ALGORITHMS.get(dotted);
    if (name == null) {
      throw new IllegalArgumentException(
          "its algorithm " + dotted + " is not supported (RSA, EC, Ed25519 and Ed448 are)");
    }
    return name;
  }

  private static CertificateFactory x509() {
    try {
      return CertificateFactory.getInstance("X.509");
    } catch (CertificateException e) {
      throw new IllegalStateException("every JDK has an X.509 certificate factory", e);
    }
  }
}
