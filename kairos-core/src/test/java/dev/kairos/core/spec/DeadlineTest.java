package dev.kairos.core.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class DeadlineTest {
  static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  @Test
  void aTimeOfDayIsTheNextOneInTheJobsZone() {
    Deadline six = Deadline.parse("06:00");
    // fired at 02:00 Berlin (01:00Z): due at 06:00 Berlin the same day
    assertThat(six.of(Instant.parse("2026-11-29T01:00:00Z"), BERLIN))
        .isEqualTo(Instant.parse("2026-11-29T05:00:00Z"));
    // fired at 07:00 Berlin: due at 06:00 the next day
    assertThat(six.of(Instant.parse("2026-11-29T06:00:00Z"), BERLIN))
        .isEqualTo(Instant.parse("2026-11-30T05:00:00Z"));
    // 02:30 does not exist on 29 March 2026 in Berlin (clocks jump 02:00 -> 03:00): 03:30
    assertThat(Deadline.parse("02:30").of(Instant.parse("2026-03-29T00:00:00Z"), BERLIN))
        .isEqualTo(Instant.parse("2026-03-29T01:30:00Z"));
  }

  @Test
  void aDurationCountsFromTheFire() {
    assertThat(Deadline.parse("90m").of(Instant.parse("2026-11-29T01:00:00Z"), BERLIN))
        .isEqualTo(Instant.parse("2026-11-29T02:30:00Z"));
  }

  @Test
  void badDeadlinesAreRejectedInTheSpecWithWhatIsAllowed() {
    assertThatThrownBy(() -> Deadline.parse("25:00")).hasMessageContaining("time of day");
    assertThatThrownBy(() -> Deadline.parse("0s")).hasMessageContaining("positive");
    assertThatThrownBy(() ->
            JobManifestCodec.parseYaml(
                """
                apiVersion: kairos.dev/v1
                kind: Job
                metadata: {name: late}
                spec: {deadline: "soon", task: {empty: {}}}
                """))
        .hasMessageContaining("spec.deadline")
        .hasMessageContaining("06:00");
    JobManifest ok =
        JobManifestCodec.parseYaml(
            """
            apiVersion: kairos.dev/v1
            kind: Job
            metadata: {name: late}
            spec: {deadline: "06:00", task: {empty: {}}}
            """);
    assertThat(JobManifestCodec.parseJson(JobManifestCodec.toJson(ok))).isEqualTo(ok);
  }
}
