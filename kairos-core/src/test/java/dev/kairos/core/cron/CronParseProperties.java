package dev.kairos.core.cron;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kairos.core.fuzz.Mutations;
import java.time.Instant;
import java.time.ZoneId;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Fault isolation of the cron parser: any text is a schedule or a {@link CronException} that says
 * what is wrong; a schedule read finds its next fire (or none) from any time without an exception.
 * CronScheduleProperties checks what the schedules mean.
 */
class CronParseProperties {
  @Property
  void anyTextIsAScheduleOrACronException(
      @ForAll("expressions") String expression, @ForAll("instants") Instant after) {
    CronSchedule schedule;
    try {
      schedule = CronSchedule.parse(expression);
    } catch (CronException e) {
      assertThat(e.getMessage()).isNotBlank();
      return;
    }
    for (String zone : CronScheduleProperties.ZONES) {
      Instant next = schedule.nextAfter(after, ZoneId.of(zone));
      if (next != null) {
        assertThat(next).isAfter(after);
      }
    }
  }

  /** Found by the property: a step past the end of the int range overflowed the loop. */
  @Example
  void aHugeStepIsOneValueNotAnIndexOutOfBounds() {
    CronSchedule s = CronSchedule.parse("59/2147483647 * * * *");
    assertThat(s.nextAfter(Instant.parse("2026-01-01T00:00:00Z"), ZoneId.of("UTC")))
        .isEqualTo(Instant.parse("2026-01-01T00:59:00Z"));
    assertThat(CronSchedule.parse("0 5-23/2147483647 * * *").toString())
        .isEqualTo("0 5-23/2147483647 * * *");
    assertThatThrownBy(() -> CronSchedule.parse("*/2147483648 * * * *"))
        .isInstanceOf(CronException.class)
        .hasMessageContaining("is not a number");
  }

  @Provide
  Arbitrary<Instant> instants() {
    return Arbitraries.longs()
        .between(
            Instant.parse("1970-01-01T00:00:00Z").getEpochSecond(),
            Instant.parse("2200-01-01T00:00:00Z").getEpochSecond())
        .map(Instant::ofEpochSecond);
  }

  @Provide
  Arbitrary<String> expressions() {
    Arbitrary<String> number =
        Arbitraries.frequencyOf(
            Tuple.of(4, Arbitraries.integers().between(0, 60).map(String::valueOf)),
            Tuple.of(1, Arbitraries.integers().map(String::valueOf)),
            Tuple.of(1, Arbitraries.of("2147483647", "2147483600", "-2147483648", "2147483648")),
            Tuple.of(1, Arbitraries.of("JAN", "dec", "MON", "sun", "Foo", "?", "*", "L", "W")),
            Tuple.of(1, Arbitraries.of(Mutations.NASTY)));
    Arbitrary<String> item =
        Arbitraries.oneOf(
            number,
            Combinators.combine(number, number).as((a, b) -> a + "-" + b),
            Combinators.combine(number, number).as((a, b) -> a + "/" + b),
            Combinators.combine(number, number, number).as((a, b, c) -> a + "-" + b + "/" + c));
    Arbitrary<String> field = item.list().ofMinSize(1).ofMaxSize(3).map(l -> String.join(",", l));
    Arbitrary<String> fields = field.list().ofMinSize(4).ofMaxSize(7).map(l -> String.join(" ", l));
    Arbitrary<String> macro =
        Arbitraries.of("@daily", "@HOURLY", "@weekly", "@yearly", "@reboot", "@", "@every 5m");
    Arbitrary<String> valid = Arbitraries.oneOf(fields, macro);
    return Arbitraries.oneOf(
        valid,
        Mutations.edited(valid),
        Mutations.edited(Arbitraries.of("0 2 * * *", "*/5 1-3 ? JAN-MAR MON-FRI", "0 0 0 1 1 *")),
        Mutations.nastyText());
  }
}
