package dev.kairos.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressTest {
  final StringWriter text = new StringWriter();
  final AtomicLong nanos = new AtomicLong(1_000);

  Progress progress(boolean terminal) {
    return new Progress(new PrintWriter(text), terminal, nanos::get);
  }

  @Test
  void onATerminalTheLineIsRewrittenInPlaceAndClosedAtTheEnd() {
    Progress p = progress(true);
    p.show("executed 1 / 3");
    p.show("executed 3 / 3");
    p.end();

    assertThat(text.toString())
        .isEqualTo("\r  executed 1 / 3   \r  executed 3 / 3   " + System.lineSeparator());
  }

  @Test
  void elsewhereALineIsWrittenAtMostEveryTenSecondsAndTheLastStateAtTheEnd() {
    Progress p = progress(false);
    p.show("executed 1 / 4");
    p.show("executed 2 / 4"); // within 10 s: not written
    nanos.addAndGet(Progress.EVERY.toNanos());
    p.show("executed 3 / 4");
    p.show("executed 4 / 4");
    p.end();

    assertThat(text.toString())
        .doesNotContain("\r")
        .isEqualTo(
            String.join(
                System.lineSeparator(),
                "  executed 1 / 4",
                "  executed 3 / 4",
                "  executed 4 / 4",
                ""));
  }

  @Test
  void elsewhereTheEndWritesNothingTwice() {
    Progress p = progress(false);
    p.show("executed 4 / 4");
    p.end();

    assertThat(text.toString()).isEqualTo("  executed 4 / 4" + System.lineSeparator());
  }
}
