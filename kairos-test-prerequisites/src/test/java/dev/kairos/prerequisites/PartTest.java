package dev.kairos.prerequisites;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

class PartTest {
  @Test
  void aPartThatIsThereLetsTheTestGoOnInEitherMode() {
    assertThatCode(() -> Part.CHROMIUM.require(null, true)).doesNotThrowAnyException();
    assertThatCode(() -> Part.CHROMIUM.require(null, false)).doesNotThrowAnyException();
  }

  @Test
  void aMissingPartSkipsTheTestWithWhatIsMissingAndHowToGetIt() {
    assertThatThrownBy(() -> Part.CHROMIUM.require("no chromium on PATH", false))
        .isInstanceOf(TestAbortedException.class)
        .hasMessage(
            "Chromium and ChromeDriver missing (no chromium on PATH): apt-get install chromium"
                + " chromium-driver (./test does it as root); or set KAIROS_TEST_CHROMIUM and"
                + " KAIROS_TEST_CHROMEDRIVER to the two programs");
  }

  @Test
  void aMissingPartFailsTheTestInAStrictRun() {
    assertThatThrownBy(() -> Part.POSTGRESQL.require("cannot connect", true))
        .isInstanceOf(Part.MissingPartError.class)
        .isInstanceOf(AssertionError.class)
        .hasMessageStartingWith(
            "PostgreSQL missing (cannot connect): ./test starts a throwaway one");
  }

  @Test
  void aRunIsStrictUnderTheTestScriptOrCi() {
    assertThat(Part.strict(Map.of())).isFalse();
    assertThat(Part.strict(Map.of("KAIROS_TEST_STRICT", "true"))).isTrue();
    assertThat(Part.strict(Map.of("CI", "true"))).isTrue();
    assertThat(Part.strict(Map.of("CI", "TRUE"))).isTrue();
    assertThat(Part.strict(Map.of("KAIROS_TEST_STRICT", "false", "CI", "false"))).isFalse();
  }

  @Test
  void everyPartSaysHowToGetIt() {
    for (Part part : Part.values()) {
      assertThat(part.missingLine("why")).contains(" missing (why): ").doesNotEndWith(": ");
    }
  }
}
