package dev.kairos.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PeerDrainTest {
  private final StringWriter printed = new StringWriter();
  private final PrintWriter out = new PrintWriter(printed);

  @Test
  void aFinishedDrainIsCompleteWithItsRate() throws Exception {
    AtomicLong executed = new AtomicLong(100);

    PeerResult result =
        PeerDrain.await("peer", executed, 100, System.nanoTime(), Duration.ofMinutes(1), out);

    assertThat(result.complete()).isTrue();
    assertThat(result.executed()).isEqualTo(100);
    assertThat(printed.toString()).contains("peer: ").contains("executions/s");
  }

  @Test
  void aDrainTheGuardStopsReportsTheCountItReached() throws Exception {
    AtomicLong executed = new AtomicLong(40);

    PeerResult result =
        PeerDrain.await("peer", executed, 100, System.nanoTime(), Duration.ofMillis(50), out);

    assertThat(result.complete()).isFalse();
    assertThat(result.executed()).isEqualTo(40);
    assertThat(result.target()).isEqualTo(100);
    assertThat(result.perSecond()).isPositive();
    assertThat(printed.toString()).contains("stopped by the guard").contains("40 of 100");
  }
}
