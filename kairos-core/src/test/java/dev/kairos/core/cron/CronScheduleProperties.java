package dev.kairos.core.cron;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.List;
import java.util.Set;
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

  /** A generated field: its text and, independently, the values it stands for. */
  record Field(String text, Set<Integer> values) {
    boolean star() {
      return text.startsWith("*");
    }
  }

  /** A generated expression with its meaning, so the oracle needs no cron parser. */
  record Spec(Field minute, Field hour, Field dom, Field month, Field dow) {
    String expr() {
      return minute.text + " " + hour.text + " " + dom.text + " " + month.text + " " + dow.text;
    }

    /** Vixie cron: with both day fields restricted, either may match. */
    boolean matches(LocalDateTime t) {
      if (t.getSecond() != 0
          || !minute.values.contains(t.getMinute())
          || !hour.values.contains(t.getHour())
          || !month.values.contains(t.getMonthValue())) {
        return false;
      }
      boolean d = dom.values.contains(t.getDayOfMonth());
      boolean w = dow.values.contains(t.getDayOfWeek().getValue() % 7);
      if (dom.star() && dow.star()) {
        return true;
      }
      if (dom.star()) {
        return w;
      }
      if (dow.star()) {
        return d;
      }
      return d || w;
    }

    @Override
    public String toString() {
      return expr();
    }
  }

  @Property(tries = 1000)
  void nextAfterMatchesBruteForce(
      @ForAll("expressions") Spec spec,
      @ForAll("zones") ZoneId zone,
      @ForAll("starts") Instant start) {
    String expr = spec.expr();
    CronSchedule schedule = CronSchedule.parse(expr);
    Instant expected = bruteForceNext(spec, zone, start, 60 * 24 * 3);
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
  static Instant bruteForceNext(Spec s, ZoneId zone, Instant after, int maxMinutes) {
    ZoneRules rules = zone.getRules();
    Instant m = Instant.ofEpochSecond((after.getEpochSecond() / 60 + 1) * 60);
    for (int i = 0; i < maxMinutes; i++, m = m.plusSeconds(60)) {
      LocalDateTime local = LocalDateTime.ofInstant(m, zone);
      ZoneOffset offset = rules.getOffset(m);
      boolean firstOccurrence = rules.getValidOffsets(local).get(0).equals(offset);
      if (firstOccurrence && s.matches(local)) {
        return m;
      }
      ZoneOffsetTransition t = rules.previousTransition(m.plusSeconds(1));
      if (t != null && t.getInstant().equals(m) && t.isGap()) {
        for (LocalDateTime g = t.getDateTimeBefore();
            g.isBefore(t.getDateTimeAfter());
            g = g.plusMinutes(1)) {
          if (s.matches(g)) {
            return m;
          }
        }
      }
    }
    return null;
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
  Arbitrary<Spec> expressions() {
    Arbitrary<Field> dom = Arbitraries.oneOf(star(1, 31), field(1, 31));
    Arbitrary<Field> month = Arbitraries.oneOf(star(1, 12), star(1, 12), field(1, 12));
    Arbitrary<Field> dow = Arbitraries.oneOf(star(0, 6), star(0, 6), field(0, 6));
    // half the hours fall where DST transitions happen (00:00-03:59), so gaps and overlaps are hit
    Arbitrary<Field> hour = Arbitraries.oneOf(field(0, 23), narrow(0, 3));
    return Combinators.combine(field(0, 59), hour, dom, month, dow)
        .as(Spec::new)
        .filter(spec -> parses(spec.expr()));
  }

  static boolean parses(String expr) {
    try {
      CronSchedule.parse(expr);
      return true;
    } catch (CronException e) {
      return false;
    }
  }

  static Arbitrary<Field> star(int min, int max) {
    return Arbitraries.just(new Field("*", range(min, max, 1)));
  }

  static Set<Integer> range(int from, int to, int step) {
    Set<Integer> set = new java.util.TreeSet<>();
    for (int v = from; v <= to; v += step) {
      set.add(v);
    }
    return set;
  }

  /** Values within [min, max] of a wider field: no '*' forms, whose text would mean more. */
  static Arbitrary<Field> narrow(int min, int max) {
    Arbitrary<Integer> v = Arbitraries.integers().between(min, max);
    return Arbitraries.oneOf(
        v.map(x -> new Field(String.valueOf(x), Set.of(x))),
        Combinators.combine(v, v)
            .as((x, y) ->
                new Field(
                    Math.min(x, y) + "-" + Math.max(x, y),
                    range(Math.min(x, y), Math.max(x, y), 1))));
  }

  static Arbitrary<Field> field(int min, int max) {
    Arbitrary<Integer> v = Arbitraries.integers().between(min, max);
    Arbitrary<Field> single = v.map(x -> new Field(String.valueOf(x), Set.of(x)));
    Arbitrary<Field> step =
        Arbitraries.integers()
            .between(2, Math.max(2, (max - min) / 2))
            .map(n -> new Field("*/" + n, range(min, max, n)));
    Arbitrary<Field> range =
        Combinators.combine(v, v)
            .as((x, y) ->
                new Field(
                    Math.min(x, y) + "-" + Math.max(x, y),
                    range(Math.min(x, y), Math.max(x, y), 1)));
    Arbitrary<Field> list =
        Combinators.combine(v, v)
            .as((x, y) -> new Field(x + "," + y, new java.util.TreeSet<>(List.of(x, y))));
    return Arbitraries.oneOf(single, star(min, max), step, range, list);
  }
}
