package dev.kairos.core.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kairos.core.fuzz.Mutations;
import java.time.Duration;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Fault isolation of {@link Durations}: any text is a duration or an IllegalArgumentException that
 * says what is allowed; a duration read writes back ({@link Durations#format}) as itself.
 */
class DurationsProperties {
  static final String FORMS = "use e.g. 500ms, 30s, 5m, 1h30m, 2d or ISO-8601 like PT5M";

  /**
   * 2^53 ms (285,000 years): the short forms are summed as doubles, exact to the millisecond that
   * far; every field's largest value is far shorter, so longer ones need not write back exactly.
   */
  static final long EXACT_MILLIS = 1L << 53;

  @Property
  void anyTextIsADurationOrAnErrorSayingWhatIsAllowed(@ForAll("durationTexts") String text) {
    Duration d;
    try {
      d = Durations.parse(text);
    } catch (IllegalArgumentException e) {
      assertThat(e).hasMessageContaining(FORMS);
      return;
    }
    assertThat(d.abs()).isLessThanOrEqualTo(Durations.BEYOND);
    if (!d.isNegative() && d.toMillis() <= EXACT_MILLIS) {
      assertThat(Durations.parse(Durations.format(d))).as(Durations.format(d)).isEqualTo(d);
    }
  }

  @Property
  void aDurationOutsideAFieldsRangeIsRejectedNamingTheBound(@ForAll("durationTexts") String text) {
    Duration d;
    try {
      d = Durations.parseWithin(text, Bounds.SHORTEST, Bounds.LONGEST);
    } catch (IllegalArgumentException e) {
      assertThat(e.getMessage())
          .matches(
              "not a duration; "
                  + FORMS
                  + "|must be positive|is more than the largest allowed, 365d");
      return;
    }
    assertThat(d).isBetween(Bounds.SHORTEST, Bounds.LONGEST);
    assertThat(Durations.parse(Durations.format(d))).isEqualTo(d);
  }

  @Property
  void formatIsTheInverseOfParse(@ForAll("millis") long millis) {
    Duration d = Duration.ofMillis(millis);
    assertThat(Durations.parse(Durations.format(d))).isEqualTo(d);
  }

  /** Found by the properties: a sub-millisecond ISO duration did not write back as itself. */
  @Example
  void anIsoDurationIsReadInWholeMillisecondsAsTheShortFormsAre() {
    assertThat(Durations.parse("PT0.0015S")).isEqualTo(Durations.parse("1.5ms"));
    assertThat(Durations.parse("PT0.0015S")).isEqualTo(Duration.ofMillis(2));
    assertThat(Durations.parse("PT1.0004S")).isEqualTo(Duration.ofMillis(1000));
    assertThatThrownBy(() -> Durations.parseWithin("PT0.0004S", Bounds.SHORTEST, Bounds.LONGEST))
        .hasMessage("must be positive");
  }

  @Provide
  Arbitrary<Long> millis() {
    return Arbitraries.longs().between(0, EXACT_MILLIS);
  }

  @Provide
  Arbitrary<String> durationTexts() {
    Arbitrary<String> number =
        Arbitraries.oneOf(
            Arbitraries.longs().between(0, 1_000_000_000_000L).map(String::valueOf),
            Arbitraries.doubles().between(0, 1e6).ofScale(4).map(String::valueOf),
            Arbitraries.of(Mutations.NASTY));
    Arbitrary<String> part =
        Combinators.combine(number, Arbitraries.of("ms", "s", "m", "h", "d", "", "M", "S", "us"))
            .as(String::concat);
    Arbitrary<String> go = part.list().ofMinSize(1).ofMaxSize(4).map(l -> String.join("", l));
    Arbitrary<String> iso =
        Combinators.combine(
                Arbitraries.of("P", "PT", "-PT", "p", "pt", "P1D", "PT-"),
                number,
                Arbitraries.of("S", "M", "H", "D", "", "s"))
            .as((p, n, u) -> p + n + u);
    Arbitrary<String> valid = Arbitraries.oneOf(go, iso);
    return Arbitraries.oneOf(
        valid, Mutations.edited(valid), Mutations.nastyText(), Arbitraries.strings().all());
  }
}
