package dev.kairos.core.cron;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CronScheduleTest {
  static final ZoneId NY = ZoneId.of("America/New_York");
  static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  static Instant at(String local, ZoneId zone) {
    return LocalDateTime.parse(local).atZone(zone).toInstant();
  }

  static List<Instant> fires(String expr, ZoneId zone, Instant from, int n) {
    CronSchedule s = CronSchedule.parse(expr);
    List<Instant> out = new ArrayList<>();
    Instant t = from;
    for (int i = 0; i < n; i++) {
      t = s.nextAfter(t, zone);
      out.add(t);
    }
    return out;
  }

  @Test
  void outOfRangeValueNamesFieldValueAndRange() {
    assertThatThrownBy(() -> CronSchedule.parse("61 * * * *"))
        .hasMessage("minute 61 is out of range 0-59");
    assertThatThrownBy(() -> CronSchedule.parse("0 24 * * *"))
        .hasMessage("hour 24 is out of range 0-23");
    assertThatThrownBy(() -> CronSchedule.parse("0 0 0 * *"))
        .hasMessage("day-of-month 0 is out of range 1-31");
  }

  @Test
  void badShapesAreExplained() {
    assertThatThrownBy(() -> CronSchedule.parse("* * *")).hasMessageContaining("got 3");
    assertThatThrownBy(() -> CronSchedule.parse("0 0 * * FUNDAY"))
        .hasMessage("day-of-week \"FUNDAY\" is not a number or a name (SUN-SAT)");
    assertThatThrownBy(() -> CronSchedule.parse("*/0 * * * *"))
        .hasMessage("minute step 0 must be at least 1");
    assertThatThrownBy(() -> CronSchedule.parse("@sometimes")).hasMessageContaining("@daily");
    assertThatThrownBy(() -> CronSchedule.parse("0 0 30 2 *")).hasMessageContaining("never fires");
    assertThatThrownBy(() -> CronSchedule.parse("0 5-2 * * *")).hasMessageContaining("backwards");
  }

  @Test
  void macrosNamesStepsAndSeconds() {
    Instant t = Instant.parse("2026-01-01T00:00:30Z");
    assertThat(fires("@hourly", ZoneOffset.UTC, t, 2))
        .containsExactly(
            Instant.parse("2026-01-01T01:00:00Z"), Instant.parse("2026-01-01T02:00:00Z"));
    assertThat(fires("*/20 * * * * *", ZoneOffset.UTC, t, 2))
        .containsExactly(
            Instant.parse("2026-01-01T00:00:40Z"), Instant.parse("2026-01-01T00:01:00Z"));
    // 2026-01-01 is a Thursday
    assertThat(fires("0 9 * JAN-FEB MON,fri", ZoneOffset.UTC, t, 2))
        .containsExactly(
            Instant.parse("2026-01-02T09:00:00Z"), Instant.parse("2026-01-05T09:00:00Z"));
    assertThat(fires("0 0 * * 7", ZoneOffset.UTC, t, 1))
        .containsExactly(Instant.parse("2026-01-04T00:00:00Z"));
  }

  @Test
  void restrictedDayOfMonthAndDayOfWeekMatchEither() {
    // the 13th, or any Friday
    List<Instant> f = fires("0 0 13 * 5", ZoneOffset.UTC, Instant.parse("2026-02-01T00:00:00Z"), 3);
    assertThat(f)
        .containsExactly(
            Instant.parse("2026-02-06T00:00:00Z"),
            Instant.parse("2026-02-13T00:00:00Z"),
            Instant.parse("2026-02-20T00:00:00Z"));
  }

  @Test
  void fallBackRepeatedHourFiresOnce() {
    // 2026-11-01: New York goes from 02:00 EDT back to 01:00 EST
    List<Instant> f = fires("30 1 * * *", NY, at("2026-10-31T12:00", NY), 2);
    assertThat(f.get(0)).isEqualTo(Instant.parse("2026-11-01T05:30:00Z")); // 01:30 EDT
    assertThat(f.get(1)).isEqualTo(at("2026-11-02T01:30", NY));
    // every 30 minutes through the night: 01:00 and 01:30 once each
    List<Instant> half = fires("*/30 * * * *", NY, at("2026-11-01T00:45", NY), 4);
    assertThat(half)
        .containsExactly(
            Instant.parse("2026-11-01T05:00:00Z"),
            Instant.parse("2026-11-01T05:30:00Z"),
            Instant.parse("2026-11-01T07:00:00Z"),
            Instant.parse("2026-11-01T07:30:00Z"));
  }

  @Test
  void springForwardSkippedTimeFiresAtTheEndOfTheGap() {
    // 2026-03-08: New York skips 02:00-03:00
    List<Instant> f = fires("30 2 * * *", NY, at("2026-03-07T12:00", NY), 2);
    assertThat(f.get(0)).isEqualTo(at("2026-03-08T03:00", NY));
    assertThat(f.get(1)).isEqualTo(at("2026-03-09T02:30", NY));
    // several times inside the gap fire once
    List<Instant> q = fires("*/15 2-3 * * *", NY, at("2026-03-08T01:00", NY), 3);
    assertThat(q)
        .containsExactly(
            at("2026-03-08T03:00", NY), at("2026-03-08T03:15", NY), at("2026-03-08T03:30", NY));
    // Berlin skips 02:00-03:00 on 2026-03-29
    assertThat(fires("0 2 * * *", BERLIN, at("2026-03-28T12:00", BERLIN), 1))
        .containsExactly(at("2026-03-29T03:00", BERLIN));
  }

  @Test
  void halfHourDstOfLordHowe() {
    ZoneId lordHowe = ZoneId.of("Australia/Lord_Howe");
    // 2026-10-04 02:00 -> 02:30
    assertThat(fires("15 2 * * *", lordHowe, at("2026-10-03T12:00", lordHowe), 2))
        .containsExactly(at("2026-10-04T02:30", lordHowe), at("2026-10-05T02:15", lordHowe));
  }

  @Test
  void zoneWithoutDstIsPlain() {
    ZoneId shanghai = ZoneId.of("Asia/Shanghai");
    assertThat(fires("0 2 * * *", shanghai, Instant.parse("2026-11-24T00:00:00Z"), 1))
        .containsExactly(Instant.parse("2026-11-24T18:00:00Z"));
  }

  @Test
  void leapDayIsFound() {
    assertThat(fires("0 0 29 2 *", ZoneOffset.UTC, Instant.parse("2026-03-01T00:00:00Z"), 1))
        .containsExactly(Instant.parse("2028-02-29T00:00:00Z"));
  }
}
