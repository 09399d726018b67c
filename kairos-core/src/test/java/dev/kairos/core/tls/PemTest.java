package dev.kairos.core.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.file.Files;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** PEM files as openssl, keytool and certificate authorities write them, and what is wrong. */
class PemTest {
  static TestCertificates rsa;
  static TestCertificates ec;

  @BeforeAll
  static void make() throws Exception {
    rsa = TestCertificates.shared("RSA");
    ec = TestCertificates.shared("EC");
  }

  @Test
  void aChainIsReadInOrderServerFirst() throws Exception {
    var chain = Pem.certificates("server.pem", Files.readString(rsa.serverChain()));
    assertThat(chain).hasSize(2);
    assertThat(chain.get(0).getSubjectX500Principal().getName()).isEqualTo("CN=localhost");
    assertThat(chain.get(1).getSubjectX500Principal().getName()).isEqualTo("CN=Kairos test CA");
  }

  @Test
  void anRsaKeyIsReadAsPkcs8AndAsPkcs1() throws Exception {
    PrivateKey pkcs8 = Pem.privateKey("server.key", Files.readString(rsa.serverKey()));
    PrivateKey pkcs1 = Pem.privateKey("rsa.key", TestCertificates.pkcs1(rsa.key()));
    assertThat(pkcs8.getAlgorithm()).isEqualTo("RSA");
    assertThat(pkcs8.getEncoded()).isEqualTo(rsa.key().getEncoded());
    assertThat(pkcs1.getEncoded()).isEqualTo(rsa.key().getEncoded());
  }

  @Test
  void anEcKeyIsReadAsPkcs8AndAsSec1WithOrWithoutItsParametersBlock() throws Exception {
    PrivateKey pkcs8 = Pem.privateKey("server.key", Files.readString(ec.serverKey()));
    String sec1 = TestCertificates.sec1(ec.key());
    PrivateKey fromSec1 = Pem.privateKey("ec.key", sec1);
    // openssl ecparam -genkey writes the curve's parameters in a block of their own first
    String parameters = TestCertificates.pem("EC PARAMETERS", Der.oid("1.2.840.10045.3.1.7"));
    PrivateKey afterParameters = Pem.privateKey("ec.key", parameters + sec1);
    assertThat(pkcs8.getAlgorithm()).isEqualTo("EC");
    assertThat(secret(pkcs8)).isEqualTo(secret(ec.key()));
    assertThat(secret(fromSec1)).isEqualTo(secret(ec.key()));
    assertThat(secret(afterParameters)).isEqualTo(secret(ec.key()));
  }

  @Test
  void anEcKeyOnAnotherCurveIsReadToo() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp384r1"));
    PrivateKey key = g.generateKeyPair().getPrivate();
    assertThat(secret(Pem.privateKey("p384.key", TestCertificates.sec1(key))))
        .isEqualTo(secret(key));
  }

  @Test
  void anEd25519KeyIsRead() throws Exception {
    PrivateKey key = KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPrivate();
    PrivateKey read =
        Pem.privateKey("ed.key", TestCertificates.pem("PRIVATE KEY", key.getEncoded()));
    assertThat(read.getAlgorithm()).isIn("Ed25519", "EdDSA");
    assertThat(read.getEncoded()).isEqualTo(key.getEncoded());
  }

  @Test
  void aFileThatIsNotPemSaysSoAndHowToConvertIt() throws Exception {
    byte[] der = Base64.getMimeDecoder().decode(pemBody(Files.readString(rsa.ca())));
    assertThatThrownBy(() -> Pem.certificates("--ca-cert ca.der", new String(der)))
        .isInstanceOf(PemException.class)
        .hasMessageStartingWith("--ca-cert ca.der: is not PEM (no -----BEGIN ...----- line)")
        .hasMessageContaining("openssl x509 -inform der");
    assertThatThrownBy(() -> Pem.privateKey("--tls-key empty.pem", "\n"))
        .hasMessage("--tls-key empty.pem: is empty");
  }

  @Test
  void aKeyGivenForACertificateAndACertificateForAKeyAreNamed() throws Exception {
    assertThatThrownBy(
            () -> Pem.certificates("--tls-cert k.pem", Files.readString(rsa.serverKey())))
        .hasMessage(
            "--tls-cert k.pem: holds no certificate (it has PRIVATE KEY); expected a -----BEGIN"
                + " CERTIFICATE----- block");
    assertThatThrownBy(() -> Pem.privateKey("--tls-key c.pem", Files.readString(rsa.serverChain())))
        .hasMessage(
            "--tls-key c.pem: holds no private key (it has CERTIFICATE); expected a -----BEGIN"
                + " PRIVATE KEY-----, RSA PRIVATE KEY or EC PRIVATE KEY block");
  }

  @Test
  void anEncryptedKeyIsRefusedWithHowToDecryptIt() {
    String pkcs8Encrypted = TestCertificates.pem("ENCRYPTED PRIVATE KEY", new byte[] {0x30, 0});
    String legacy =
        "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\n"
            + "MAA=\n-----END RSA PRIVATE KEY-----\n";
    for (String text : List.of(pkcs8Encrypted, legacy)) {
      assertThatThrownBy(() -> Pem.privateKey("--tls-key k.pem", text))
          .hasMessageStartingWith("--tls-key k.pem: the private key is encrypted")
          .hasMessageContaining("openssl pkey -in FILE -out KEY.pem");
    }
  }

  @Test
  void damagedBlocksAreNamed() throws Exception {
    String cert = Files.readString(rsa.ca());
    String body = pemBody(cert);
    byte[] half = Base64.getDecoder().decode(body.replaceAll("\\s", "").substring(0, 200));
    assertThatThrownBy(() -> Pem.certificates("ca.pem", TestCertificates.pem("CERTIFICATE", half)))
        .hasMessageStartingWith("ca.pem: certificate 1 is not a valid X.509 certificate: ");
    assertThatThrownBy(() -> Pem.certificates("ca.pem", cert.replace(body, "!!" + body)))
        .hasMessageStartingWith("ca.pem: the CERTIFICATE block is not valid base64");
    String garbage = TestCertificates.pem("PRIVATE KEY", new byte[] {0x30, 3, 2, 1, 0});
    assertThatThrownBy(() -> Pem.privateKey("k.pem", garbage))
        .hasMessageStartingWith("k.pem: the PRIVATE KEY block is not a valid key: ");
    assertThatThrownBy(() ->
            Pem.certificates(
                "x.pem", "-----BEGIN CERTIFICATE-----\nMAA=\n-----END PRIVATE KEY-----\n"))
        .hasMessage("x.pem: a -----BEGIN CERTIFICATE----- block ends with END PRIVATE KEY");
  }

  @Test
  void twoKeysInOneFileAreRefused() throws Exception {
    String key = Files.readString(rsa.serverKey());
    assertThatThrownBy(() -> Pem.privateKey("k.pem", key + key))
        .hasMessage("k.pem: holds 2 private keys; give one");
  }

  @Test
  void anIdentityPairsTheKeyWithTheFirstCertificate() throws Exception {
    ServerIdentity identity =
        ServerIdentity.of(
            "--tls-cert server.pem",
            Files.readString(rsa.serverChain()),
            "--tls-key server.key",
            TestCertificates.pkcs1(rsa.key()));
    assertThat(identity.chain()).hasSize(2);
    assertThat(identity.keyStore().getCertificateChain(ServerIdentity.ALIAS)).hasSize(2);
    // a logged config shows whose identity it is, never the key
    assertThat(identity).hasToString("ServerIdentity[CN=localhost]");
    assertThat(
            ServerIdentity.of(
                    "c", Files.readString(ec.serverChain()), "k", TestCertificates.sec1(ec.key()))
                .key()
                .getAlgorithm())
        .isEqualTo("EC");
  }

  @Test
  void theKeyOfAnotherCertificateIsRefusedNamingBothFiles() throws Exception {
    assertThatThrownBy(() ->
            ServerIdentity.of(
                "--tls-cert rsa/server.pem",
                Files.readString(rsa.serverChain()),
                "--tls-key ec/server.key",
                Files.readString(ec.serverKey())))
        .isInstanceOf(PemException.class)
        .hasMessage(
            "--tls-key ec/server.key: is not the key of the first certificate in --tls-cert"
                + " rsa/server.pem (the server's own certificate comes first, then the CAs that"
                + " signed it)");
    // the chain the wrong way round: the CA's certificate first
    String reversed = Files.readString(rsa.ca()) + Files.readString(rsa.serverChain());
    assertThatThrownBy(
            () -> ServerIdentity.of("c.pem", reversed, "k.pem", Files.readString(rsa.serverKey())))
        .hasMessageStartingWith("k.pem: is not the key of the first certificate in c.pem");
  }

  private static BigInteger secret(PrivateKey ec) {
    return ((ECPrivateKey) ec).getS();
  }

  private static String pemBody(String pem) {
    return pem.replaceAll("-----[A-Z ]+-----", "").strip();
  }
}
