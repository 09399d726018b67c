package dev.kairos.core.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TaskOutputsTest {
  @Test
  void linesAreKeyValuePairsWithCommentsAndBlankLinesSkipped() {
    assertThat(TaskOutputs.parse("# counts\nrows=42\n\nurl=s3://b/k?a=1\nrows=43\n"))
        .isEqualTo(Map.of("rows", "43", "url", "s3://b/k?a=1"));
    assertThat(TaskOutputs.parse("")).isEmpty();
    assertThat(TaskOutputs.parse("empty=\r\n")).isEqualTo(Map.of("empty", ""));
  }

  @Test
  void badLinesKeysAndSizesAreRejectedSayingWhy() {
    assertThatThrownBy(() -> TaskOutputs.parse("a=1\n2x=3"))
        .hasMessageStartingWith("line 2 (2x=3) is not key=value");
    assertThatThrownBy(() -> TaskOutputs.parse("no equals sign"))
        .hasMessageStartingWith("line 1 (no equals sign)");
    assertThatThrownBy(() -> TaskOutputs.parse("Rows=1\nrows=2"))
        .hasMessage("keys Rows and rows differ only by case: they name one variable");
    assertThatThrownBy(() -> TaskOutputs.parse("k=" + "x".repeat(TaskOutputs.MAX_BYTES)))
        .hasMessageContaining("at most 16,384 bytes");
    assertThatThrownBy(() ->
            new Completion(
                1, dev.kairos.core.run.AttemptState.SUCCEEDED, 0, null, Map.of("a b", "1")))
        .hasMessageContaining("key \"a b\"");
  }

  @Test
  void variablesAreUpperCaseWithDashesAsUnderscores() {
    assertThat(TaskOutputs.inputVariable("load-users", "row_count"))
        .isEqualTo("KAIROS_IN_LOAD_USERS_ROW_COUNT");
  }

  @Test
  void storedFormRoundTrips() {
    assertThat(TaskOutputs.toJson(Map.of())).isNull();
    assertThat(TaskOutputs.fromJson(TaskOutputs.toJson(Map.of("b", "2", "a", "\"q\""))))
        .isEqualTo(Map.of("a", "\"q\"", "b", "2"));
  }
}
