package dev.kairos.prerequisites;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

class SkipReportTest {
  /** Needs a part this machine never has: each of its tests is skipped from its set-up. */
  static class NeedsAMissingPart {
    @BeforeAll
    static void require() {
      Part.NATS.require("nothing answers on 127.0.0.1:4222", false);
    }

    @Test
    void first() {}

    @Test
    void second() {}
  }

  static class HasADisabledTest {
    @Test
    @Disabled("waits for issue 20")
    void later() {}

    @Test
    void runs() {}
  }

  static class RunsEverything {
    @Test
    void runs() {}
  }

  @TempDir Path dir;

  /**
   * Runs the classes with a report of their own (not the one registered for this module's tests),
   * which appends to {@code log} (when not null) too. Returns what it printed.
   */
  static String report(Path log, Class<?>... classes) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    SkipReport report = new SkipReport(new PrintStream(bytes, true, StandardCharsets.UTF_8), log);
    LauncherDiscoveryRequestBuilder request = LauncherDiscoveryRequestBuilder.request();
    for (Class<?> type : classes) {
      request.selectors(selectClass(type));
    }
    LauncherFactory.create(
            LauncherConfig.builder().enableTestExecutionListenerAutoRegistration(false).build())
        .execute(request.build(), report);
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void saysNothingWhenEveryTestRan() {
    Path log = dir.resolve("skipped.txt");
    assertThat(report(log, RunsEverything.class)).isEmpty();
    assertThat(log).doesNotExist();
  }

  @Test
  void namesEachSkippedTestWithWhyAndHowToGetWhatItNeeds() {
    String out =
        report(null, RunsEverything.class, NeedsAMissingPart.class, HasADisabledTest.class);
    assertThat(out)
        .contains("SKIPPED: 3 tests did not run here:")
        .contains(
            "2 tests in SkipReportTest$NeedsAMissingPart: NATS with JetStream on 127.0.0.1:4222 missing"
                + " (nothing answers on 127.0.0.1:4222): apt-get install nats-server")
        .contains("1 test in SkipReportTest$HasADisabledTest: waits for issue 20")
        .contains("./test sets up what they need and runs every test.")
        .doesNotContain("RunsEverything");
  }

  @Test
  void appendsTheReportOfEachRunToTheLogTheTestScriptReads() throws Exception {
    Path log = dir.resolve("skipped.txt");
    String first = report(log, NeedsAMissingPart.class);
    String second = report(log, HasADisabledTest.class);
    assertThat(Files.readString(log, StandardCharsets.UTF_8)).isEqualTo(first + second);
  }
}
