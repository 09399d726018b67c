package dev.kairos.worker.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.kairos.core.spec.SecretEnv;
import dev.kairos.worker.secrets.Secrets;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class OutputLinesTest {
  static final int MAX = 64 * 1024;

  static InputStream text(String s) {
    return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
  }

  static List<String> all(OutputLines lines) throws IOException {
    List<String> out = new ArrayList<>();
    String line;
    while ((line = lines.next()) != null) {
      out.add(line);
    }
    return out;
  }

  static List<String> all(InputStream in, int max) throws IOException {
    return all(new OutputLines(in, max, UnaryOperator.identity(), 0));
  }

  /** Endless output without a line break, as {@code tr '\0' a < /dev/zero} prints. */
  static final class Endless extends InputStream {
    long served;

    @Override
    public int read() {
      served++;
      return 'a';
    }

    @Override
    public int read(byte[] b, int off, int len) {
      java.util.Arrays.fill(b, off, off + len, (byte) 'a');
      served += len;
      return len;
    }
  }

  @Test
  void anEndlessLineComesOutInPiecesOfTheLimitAsItIsRead() {
    // readLine would hold it whole, until the heap ran out
    Endless endless = new Endless();
    OutputLines lines = new OutputLines(endless, MAX, UnaryOperator.identity(), 0);
    assertTimeoutPreemptively(
        Duration.ofSeconds(20),
        () -> {
          for (int i = 0; i < 200; i++) {
            assertThat(lines.next()).hasSize(MAX).matches("a+");
          }
        });
    // read ahead by no more than a buffer or two
    assertThat(endless.served).isLessThan(201L * MAX + 64 * 1024);
  }

  @Test
  void aLongLineSplitsIntoPiecesThatJoinBackToIt() throws IOException {
    StringBuilder big = new StringBuilder();
    for (int i = 0; big.length() < 5_000_000; i++) {
      big.append(i).append(',');
    }
    List<String> lines = all(text(big + "\nshort\n"), MAX);
    assertThat(lines.getLast()).isEqualTo("short");
    List<String> pieces = lines.subList(0, lines.size() - 1);
    assertThat(pieces).allSatisfy(p -> assertThat(p.length()).isLessThanOrEqualTo(MAX));
    assertThat(pieces).hasSize((big.length() + MAX - 1) / MAX);
    assertThat(String.join("", pieces)).isEqualTo(big.toString());
  }

  @Test
  void linesEndAsReadLineEndsThem() throws IOException {
    assertThat(all(text("a\nb\r\nc\rd\n\ne"), MAX)).containsExactly("a", "b", "c", "d", "", "e");
    assertThat(all(text(""), MAX)).isEmpty();
    assertThat(all(text("\n"), MAX)).containsExactly("");
    // a line of exactly the limit is one line, not a line and an empty one
    assertThat(all(text("abcd\nefgh"), 4)).containsExactly("abcd", "efgh");
    assertThat(all(text("abcd\r\nefghi"), 4)).containsExactly("abcd", "efgh", "i");
  }

  @Test
  void aLineBreakAcrossReadsIsOneBreak() throws IOException {
    // \r at the end of one read, \n at the start of the next
    InputStream in = new SequenceInputStream(text("x".repeat(8191) + "\r"), text("\nnext\n"));
    assertThat(all(in, MAX)).containsExactly("x".repeat(8191), "next");
  }

  @Test
  void aSecretAcrossTheCutIsStillMasked() throws IOException, Secrets.Unresolved {
    Secrets secrets =
        Secrets.resolve(
            Map.of("PASS", new SecretEnv("s3cr3t-pass", null, null)),
            name -> null,
            Secrets.Target.VARIABLE);
    for (int at = 80; at < 110; at++) {
      String line = "x".repeat(at) + "s3cr3t-pass" + "y".repeat(300);
      List<String> lines = all(new OutputLines(text(line + "\n"), 100, secrets));
      String joined = String.join("", lines);
      assertThat(joined).as("secret at %d", at).isEqualTo("x".repeat(at) + "***" + "y".repeat(300));
      assertThat(lines).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(100));
      assertThat(lines).noneMatch(l -> l.contains("s3cr") || l.contains("pass"));
    }
  }

  @Test
  void aMaskThatLengthensALineStillKeepsItsLinesWithinTheLimit() throws IOException {
    OutputLines lines =
        new OutputLines(text("ab".repeat(50) + "\n"), 10, s -> s.replace("a", "***"), 0);
    List<String> out = all(lines);
    assertThat(out).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(10));
    assertThat(String.join("", out)).isEqualTo("***b".repeat(50));
  }

  @Test
  void aCharacterOutsideTheBasicPlaneIsNeverCutInHalf() throws IOException {
    String line = "😀".repeat(1000) + "é".repeat(1000);
    List<String> pieces = all(text(line), 101);
    assertThat(pieces)
        .allSatisfy(p -> {
          assertThat(p.length()).isLessThanOrEqualTo(101);
          assertThat(Character.isHighSurrogate(p.charAt(p.length() - 1))).isFalse();
        });
    assertThat(String.join("", pieces)).isEqualTo(line);
  }

  @Test
  void invalidUtf8BecomesTheReplacementCharacter() throws IOException {
    InputStream in = new ByteArrayInputStream(new byte[] {'o', 'k', (byte) 0xff, '\n'});
    assertThat(all(in, MAX)).containsExactly("ok\uFFFD");
  }
}
