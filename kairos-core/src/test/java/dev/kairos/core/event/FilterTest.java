package dev.kairos.core.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class FilterTest {
  static final Filter.Event EVENT;

  static {
    try {
      EVENT =
          new Filter.Event(
              "data-ready",
              "s3://lake/orders/2026-11-29",
              "evt-1",
              new ObjectMapper()
                  .readTree(
                      """
                      {"table": "orders", "rows": 1500, "dryRun": false, "tags": ["eu", "daily"],
                       "files": [{"name": "a.parquet", "bytes": 10}], "owner": null}
                      """));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static boolean eval(String expression) {
    return Filter.parse(expression).matches(EVENT);
  }

  @Test
  void comparesFieldsOfTheEventWithLiterals() {
    assertThat(eval("data.table == \"orders\" && data.rows > 1000")).isTrue();
    assertThat(eval("data.table == 'orders' && data.rows > 2000")).isFalse();
    assertThat(eval("data.rows >= 1500 && data.rows <= 1500 && data.rows != 1")).isTrue();
    assertThat(eval("type == \"data-ready\" && id == 'evt-1'")).isTrue();
    assertThat(eval("source startsWith \"s3://lake/\" && source endsWith '29'")).isTrue();
    assertThat(eval("data.table in [\"orders\", \"users\"]")).isTrue();
    assertThat(eval("data.tags contains \"eu\" && !(data.tags contains 'us')")).isTrue();
    assertThat(eval("data.files[0].name == 'a.parquet' && data.files[0].bytes < 11")).isTrue();
    assertThat(eval("!data.dryRun || data.rows < 0")).isTrue();
    assertThat(eval("data.table")).isTrue();
  }

  @Test
  void whatIsNotThereIsNullAndOrdersNothing() {
    assertThat(eval("data.missing == null && data.owner == null")).isTrue();
    assertThat(eval("data.missing > 1 || data.missing < 1")).isFalse();
    assertThat(eval("data.files[5].name == 'x'")).isFalse();
    assertThat(eval("data.table.deeper == null")).isTrue();
    assertThat(eval("data.rows > 'a'")).isFalse();
    // a text holding a number compares with numbers as that number
    assertThat(eval("data.rows >= '1500' && '1500' == data.rows && data.table != 3")).isTrue();
  }

  @Test
  void badExpressionsSayWhatAndWhere() {
    assertThatThrownBy(() -> Filter.parse("data.rows > 1 &&"))
        .isInstanceOf(FilterException.class)
        .hasMessage("unexpected end of the expression at character 17");
    assertThatThrownBy(() -> Filter.parse("payload.x == 1"))
        .hasMessageStartingWith("unknown name payload; start a path with data, source, type or id");
    assertThatThrownBy(() -> Filter.parse("data.x == 'open"))
        .hasMessageStartingWith("unterminated text");
    assertThatThrownBy(() -> Filter.parse("(data.x == 1")).hasMessageStartingWith("missing )");
    assertThatThrownBy(() -> Filter.parse("data.x in 'a'"))
        .hasMessageStartingWith("in needs a list");
    assertThatThrownBy(() -> Filter.parse("data.x == 1 $ 2"))
        .hasMessageStartingWith("unexpected character '$'");
    assertThatThrownBy(() -> Filter.parse("data.x[1.5] == 1"))
        .hasMessageStartingWith("an index must be a whole number");
  }

  @Test
  void sizeAndNestingAreBounded() {
    assertThatThrownBy(() -> Filter.parse("data.x == 1 || ".repeat(100) + "true"))
        .hasMessageStartingWith("longer than 1000 characters");
    assertThatThrownBy(() -> Filter.parse("(".repeat(40) + "true" + ")".repeat(40)))
        .hasMessageStartingWith("nested deeper than 32");
    assertThatThrownBy(() -> Filter.parse("!".repeat(40) + "true"))
        .hasMessageStartingWith("nested deeper than 32");
    assertThat(Filter.parse("(".repeat(10) + "true" + ")".repeat(10)).matches(EVENT)).isTrue();
  }
}
