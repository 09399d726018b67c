package dev.kairos.core.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kairos.core.fuzz.Mutations;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Fault isolation of {@link Quantities}: a check gives null or what is allowed, never an exception;
 * a quantity that passes its check converts to an amount within its range, and one that does not is
 * refused by the conversion with an IllegalArgumentException.
 */
class QuantitiesProperties {
  static final String CPU_PROBLEM =
      "(not a cpu quantity|must be greater than 0|is more than the largest allowed).*";
  static final String MEMORY_PROBLEM =
      "(not a memory quantity|must be greater than 0|is more than the largest allowed).*";

  @Property
  void aCpuQuantityIsCheckedAndConvertedWithinItsRange(@ForAll("cpu") String text) {
    String problem = Quantities.checkCpu(text);
    if (problem != null) {
      assertThat(problem).matches(CPU_PROBLEM);
    } else {
      assertThat(Quantities.millicores(text)).isBetween(1L, Quantities.CPU_MAX_MILLICORES);
    }
    String orZero = Quantities.checkCpuOrZero(text);
    if (orZero != null) {
      assertThat(orZero).matches(CPU_PROBLEM);
    } else {
      assertThat(Quantities.millicores(text)).isBetween(0L, Quantities.CPU_MAX_MILLICORES);
    }
    // a stored spec is read without the bound: its quantities still convert
    if (Quantities.checkCpu(text, false) == null) {
      assertThat(Quantities.millicores(text)).isPositive();
    }
    if (text != null && orZero != null && Quantities.checkCpu(text, false) != null) {
      assertThatThrownBy(() -> Quantities.millicores(text))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("not a cpu quantity");
    }
  }

  @Property
  void aMemoryQuantityIsCheckedAndConvertedWithinItsRange(@ForAll("memory") String text) {
    String problem = Quantities.checkMemory(text);
    if (problem != null) {
      assertThat(problem).matches(MEMORY_PROBLEM);
    } else {
      assertThat(Quantities.bytes(text)).isBetween(1L, Quantities.MEMORY_MAX_BYTES);
    }
    String orZero = Quantities.checkMemoryOrZero(text);
    if (orZero != null) {
      assertThat(orZero).matches(MEMORY_PROBLEM);
    } else {
      assertThat(Quantities.bytes(text)).isBetween(0L, Quantities.MEMORY_MAX_BYTES);
    }
    if (Quantities.checkMemory(text, false) == null) {
      assertThat(Quantities.bytes(text)).isPositive();
    }
    if (text != null && orZero != null && Quantities.checkMemory(text, false) != null) {
      assertThatThrownBy(() -> Quantities.bytes(text))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("not a memory quantity");
    }
  }

  /** Found by the properties: millicores of a huge stored quantity threw NumberFormatException. */
  @Example
  void aHugeMillicoreQuantityConvertsSaturatedNotWithANumberFormatException() {
    assertThat(Quantities.checkCpu("99999999999999999999m", false)).isNull();
    assertThat(Quantities.millicores("99999999999999999999m")).isEqualTo(Long.MAX_VALUE);
    assertThatThrownBy(() -> Quantities.millicores("lots"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("not a cpu quantity: lots");
  }

  @Provide
  Arbitrary<String> cpu() {
    Arbitrary<String> valid =
        Combinators.combine(number(), Arbitraries.of("", "m", "", "m", "M", "k", "Mi"))
            .as(String::concat);
    return quantities(valid);
  }

  @Provide
  Arbitrary<String> memory() {
    Arbitrary<String> valid =
        Combinators.combine(
                number(),
                Arbitraries.of(
                    "", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei", "k", "M", "G", "T", "P", "E"))
            .as(String::concat);
    return quantities(valid);
  }

  static Arbitrary<String> number() {
    return Arbitraries.oneOf(
        Arbitraries.longs().between(0, Long.MAX_VALUE).map(String::valueOf),
        Arbitraries.integers().between(0, 10_000).map(String::valueOf),
        Arbitraries.doubles().between(0, 1e4).ofScale(5).map(String::valueOf),
        Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(400),
        Arbitraries.of(Mutations.NASTY));
  }

  static Arbitrary<String> quantities(Arbitrary<String> valid) {
    return Arbitraries.oneOf(
        valid,
        Mutations.edited(valid),
        Mutations.nastyText(),
        Arbitraries.strings().all(),
        Arbitraries.just(null));
  }
}
