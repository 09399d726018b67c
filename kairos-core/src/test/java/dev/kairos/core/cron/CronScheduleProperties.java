package dev.kairos.core.cron;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Checks nextAfter against an independent brute force: walk instants minute by minute through the
 * zone and apply the stated DST rules directly. The two must agree everywhere, and especially
 * around DST transitions.
 */
class CronScheduleProperties {
  static final List<String> ZONES =
      List.of(
          "America/New_York",
          "Europe/Berlin",
          "Australia/Lord_Howe",
          "America/Santiago",
          "Asia/Tehran",
          "Europe/London",
          "Asia/Shanghai",
          "UTC",
          "Pacific/Chatham");

  @Property(tries = 300)
  void nextAfterMatchesBruteForce(
      @ForAll("expressions") String expr,
      @ForAll("zones") ZoneId zone,
      @ForAll("starts") Instant start) {
    CronSchedule schedule = CronSchedule.parse(expr);
    Instant expected = bruteForceNext(schedule, zone, start, 60 * 24 * 3);
    Instant actual = schedule.nextAfter(start, zone);
    if (expected != null) {
      assertThat(actual).as("%s in %s after %s", expr, zone, start).isEqualTo(expected);
    } else {
      // nothing within the brute-force window: the real answer must be beyond it
      assertThat(actual == null || actual.isAfter(start.plusSeconds(60L * 60 * 24 * 3)))
          .as("%s in %s after %s gave %s", expr, zone, start, actual)
          .isTrue();
    }
  }

  /**
   * The reference: scan each minute instant m after {@code after}. m fires if its local time
   * matches and it is that local time's first occurrence; or if m is the end of a gap and some
   * local time inside the gap matches.
   */
  static Instant bruteForceNext(CronSchedule s, ZoneId zone, Instant after, int maxMinutes) {
    ZoneRules rules = zone.getRules();
    Instant m = Instant.ofEpochSecond((after.getEpochSecond() / 60 + 1) * 60);
    for (int i = 0; i < maxMinutes; i++, m = m.plusSeconds(60)) {
      LocalDateTime local = LocalDateTime.ofInstant(m, zone);
      ZoneOffset offset = rules.getOffset(m);
      boolean firstOccurrence = rules.getValidOffsets(local).get(0).equals(offset);
      if (firstOccurrence && matches(s, local)) {
        return m;
      }
      ZoneOffsetTransition t = rules.previousTransition(m.plusSeconds(1));
      if (t != null && t.getInstant().equals(m) && t.isGap()) {
        for (LocalDateTime g = t.getDateTimeBefore();
            g.isBefore(t.getDateTimeAfter());
            g = g.plusMinutes(1)) {
          if (matches(s, g)) {
            return m;
          }
        }
      }
    }
    return null;
  }

  static boolean matches(CronSchedule s, LocalDateTime local) {
    LocalDateTime found = s.nextLocal(local, local.getYear() + 1);
    return local.equals(found);
  }

  @Provide
  Arbitrary<ZoneId> zones() {
    return Arbitraries.of(ZONES).map(ZoneId::of);
  }

  @Provide
  Arbitrary<Instant> starts() {
    // near the DST transitions of 2026 in the zones above, plus anywhere in the year
    List<Instant> transitions =
        ZONES.stream()
            .map(ZoneId::of)
            .flatMap(z -> z.getRules().getTransitions().stream())
            .map(ZoneOffsetTransition::getInstant)
            .filter(i ->
                i.isAfter(Instant.parse("2025-06-01T00:00:00Z"))
                    && i.isBefore(Instant.parse("2027-06-01T00:00:00Z")))
            .toList();
    List<Instant> rules =
        ZONES.stream()
            .map(ZoneId::of)
            .flatMap(z -> {
              java.util.List<Instant> l = new java.util.ArrayList<>();
              ZoneOffsetTransition t =
                  z.getRules().nextTransition(Instant.parse("2026-01-01T00:00:00Z"));
              for (int k = 0; t != null && k < 4; k++) {
                l.add(t.getInstant());
                t = z.getRules().nextTransition(t.getInstant());
              }
              return l.stream();
            })
            .toList();
    List<Instant> all = new java.util.ArrayList<>(transitions);
    all.addAll(rules);
    Arbitrary<Instant> near =
        Combinators.combine(Arbitraries.of(all), Arbitraries.longs().between(-36 * 3600, 3 * 3600))
            .as((t, d) -> t.plusSeconds(d));
    Arbitrary<Instant> anywhere =
        Arbitraries.longs()
            .between(
                Instant.parse("2026-01-01T00:00:00Z").getEpochSecond(),
                Instant.parse("2027-01-01T00:00:00Z").getEpochSecond())
            .map(Instant::ofEpochSecond);
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(4, near), net.jqwik.api.Tuple.of(1, anywhere));
  }

  @Provide
  Arbitrary<String> expressions() {
    Arbitrary<String> minute = field(0, 59);
    Arbitrary<String> hour = field(0, 23);
    Arbitrary<String> dom = Arbitraries.oneOf(Arbitraries.just("*"), field(1, 31));
    Arbitrary<String> month =
        Arbitraries.oneOf(Arbitraries.just("*"), Arbitraries.just("*"), field(1, 12));
    Arbitrary<String> dow =
        Arbitraries.oneOf(Arbitraries.just("*"), Arbitraries.just("*"), field(0, 6));
    return Combinators.combine(minute, hour, dom, month, dow)
        .as((a, b, c, d, e) -> a + " " + b + " " + c + " " + d + " " + e)
        .filter(CronScheduleProperties::parses);
  }

  static boolean parses(String expr) {
    try {
      CronSchedule.parse(expr);
      return true;
    } catch (CronException e) {
      return false;
    }
  }

  static Arbitrary<String> field(int min, int max) {
    Arbitrary<Integer> v = Arbitraries.integers().between(min, max);
    Arbitrary<String> single = v.map(String::valueOf);
    Arbitrary<String> star = Arbitraries.just("*");
    Arbitrary<String> step =
        Arbitraries.integers().between(2, Math.max(2, (max - min) / 2)).map(n -> "*/" + n);
    Arbitrary<String> range =
        Combinators.combine(v, v).as((x, y) -> Math.min(x, y) + "-" + Math.max(x, y));
    Arbitrary<String> list = Combinators.combine(v, v).as((x, y) -> x + "," + y);
    return Arbitraries.oneOf(single, star, step, range, list);
  }
}
