package dev.kairos.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kairos.core.tls.TestCertificates;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The flags of {@code kairos server} and {@code kairos up}: a bad value is one usage line. */
class ServeFlagsTest {
  @TempDir Path dir;

  record Result(int code, String err) {}

  Result server(String... flags) {
    StringWriter err = new StringWriter();
    String[] args = new String[flags.length + 3];
    args[0] = "server";
    args[1] = "--state-dir";
    args[2] = dir.toString();
    System.arraycopy(flags, 0, args, 3, flags.length);
    int code = Main.run(args, new PrintWriter(new StringWriter()), new PrintWriter(err, true));
    return new Result(code, err.toString());
  }

  @Test
  void aDurationFlagOutsideItsRangeIsOneUsageLineWithTheRange() {
    Result r = server("--lease", "999999999999d");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo(
            "kairos: --lease: \"999999999999d\": is more than the largest allowed, 1h (allowed: 1s"
                + " to 1h)\n");
    assertThat(server("--lease", "100ms").err())
        .startsWith("kairos: --lease: \"100ms\": is less than the smallest allowed, 1s");
    assertThat(server("--fire-ahead", "10m").err())
        .startsWith("kairos: --fire-ahead: \"10m\": is more than the largest allowed, 5m");
    assertThat(server("--event-dedup-window", "0s").err())
        .startsWith("kairos: --event-dedup-window: \"0s\": is less than the smallest allowed, 1s");
    assertThat(server("--lease", "soon").err())
        .startsWith("kairos: --lease: \"soon\": not a duration");
  }

  @Test
  void theRetentionIsAnHourToTenYearsAndNoShorterThanTheEventDedupWindow() {
    Result r = server("--retention", "30m");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo(
            "kairos: --retention: \"30m\": is less than the smallest allowed, 1h (allowed: 1h to"
                + " 3650d)\n");
    assertThat(server("--retention", "3651d").err())
        .startsWith("kairos: --retention: \"3651d\": is more than the largest allowed, 3650d");
    Result shorter = server("--retention", "12h");
    assertThat(shorter.code()).isEqualTo(2);
    assertThat(shorter.err())
        .isEqualTo(
            "kairos: --event-dedup-window 1d must not be longer than --retention 12h: events are"
                + " not kept longer than that\n");
  }

  @Test
  void theHeartbeatMustBeShorterThanTheLease() {
    Result r = server("--lease", "10s", "--heartbeat", "10s");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).isEqualTo("kairos: --heartbeat 10s must be shorter than --lease 10s\n");
  }

  @Test
  void aPortOutsideItsRangeIsAUsageError() {
    Result r = server("--port", "70000");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).startsWith("kairos: --port: 70000 is not a port; use 1 to 65535");
  }

  @Test
  void tlsFlagsComeInPairsAndABadFileIsOneLineNamingItAndTheProblem() throws Exception {
    TestCertificates certs = TestCertificates.shared("EC");
    String cert = certs.serverChain().toString();
    String key = certs.serverKey().toString();
    Result half = server("--tls-cert", cert);
    assertThat(half.code()).isEqualTo(2);
    assertThat(half.err())
        .isEqualTo(
            "kairos: --tls-cert needs --tls-key FILE as well: the private key of the"
                + " certificate\n");
    assertThat(server("--tls-key", key).err())
        .isEqualTo(
            "kairos: --tls-key needs --tls-cert FILE as well: the certificate (chain) of the"
                + " key\n");
    Path missing = dir.resolve("missing.key");
    Result gone = server("--tls-cert", cert, "--tls-key", missing.toString());
    assertThat(gone.code()).isEqualTo(1);
    assertThat(gone.err()).isEqualTo("kairos: --tls-key " + missing + ": no such file\n");
    Result swapped = server("--tls-cert", key, "--tls-key", cert);
    assertThat(swapped.code()).isEqualTo(1);
    assertThat(swapped.err())
        .isEqualTo(
            "kairos: --tls-cert "
                + key
                + ": holds no certificate (it has PRIVATE KEY); expected a -----BEGIN"
                + " CERTIFICATE----- block\n");
    Path other = dir.resolve("other.key");
    Files.writeString(
        other,
        TestCertificates.pem(
            "PRIVATE KEY",
            KeyPairGenerator.getInstance("EC").generateKeyPair().getPrivate().getEncoded()));
    assertThat(server("--tls-cert", cert, "--tls-key", other.toString()).err())
        .isEqualTo(
            "kairos: --tls-key "
                + other
                + ": is not the key of the first certificate in --tls-cert "
                + cert
                + " (the server's own certificate comes first, then the CAs that signed it)\n");
  }
}
