package dev.kairos.core.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kairos.core.spec.FieldError;
import dev.kairos.core.spec.ValidationException;
import org.junit.jupiter.api.Test;

class CapacityTest {
  static final Capacity MACHINE = new Capacity(8_000, 16L << 30, 16);

  @Test
  void parsesCoresMillicoresAndMemoryQuantities() {
    Capacity c = Capacity.parse("cpu=2,memory=4Gi,slots=16", MACHINE);
    assertThat(c).isEqualTo(new Capacity(2_000, 4L << 30, 16));
    assertThat(Capacity.parse("cpu=500m", MACHINE).millicores()).isEqualTo(500);
    assertThat(Capacity.parse("cpu=1.5", MACHINE).millicores()).isEqualTo(1_500);
    assertThat(Capacity.parse("memory=1G", MACHINE).memoryBytes()).isEqualTo(1_000_000_000L);
    assertThat(Capacity.parse(" slots = 4 , cpu=1 ", MACHINE))
        .isEqualTo(new Capacity(1_000, 16L << 30, 4));
  }

  @Test
  void keysLeftOutKeepTheDefaults() {
    assertThat(Capacity.parse("slots=3", MACHINE)).isEqualTo(MACHINE.withSlots(3));
    assertThat(Capacity.parse("memory=512Mi", MACHINE))
        .isEqualTo(new Capacity(8_000, 512L << 20, 16));
  }

  @Test
  void everyBadKeyIsNamed() {
    assertThatThrownBy(() -> Capacity.parse("cpu=0,memory=4GB,slots=0", MACHINE))
        .isInstanceOfSatisfying(
            ValidationException.class,
            e ->
                assertThat(e.errors())
                    .extracting(FieldError::path)
                    .containsExactly("cpu", "memory", "slots"));
    assertThatThrownBy(() -> Capacity.parse("gpu=1", MACHINE))
        .hasMessageContaining("gpu=1: expected cpu=..., memory=... or slots=...");
    assertThatThrownBy(() -> Capacity.parse("cpu=1,cpu=2", MACHINE))
        .hasMessageContaining("cpu: given twice");
    assertThatThrownBy(() -> Capacity.parse("", MACHINE)).isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> Capacity.parse("slots=1.5", MACHINE))
        .hasMessageContaining("slots: \"1.5\": must be a whole number");
    assertThatThrownBy(() -> Capacity.parse("slots=100001", MACHINE))
        .hasMessageContaining("from 1 to 100000");
  }

  @Test
  void withoutDefaultsEveryFieldIsRequired() {
    assertThatThrownBy(() -> Capacity.of(null, "1Gi", null, null, "capacity."))
        .hasMessageContaining("capacity.cpu: is required")
        .hasMessageContaining("capacity.slots: is required");
  }

  @Test
  void printsAsKubernetesQuantitiesThatParseBack() {
    Capacity c = new Capacity(2_500, 3L << 30, 7);
    assertThat(c.cpu()).isEqualTo("2500m");
    assertThat(c.memory()).isEqualTo("3Gi");
    assertThat(new Capacity(2_000, 1_000_000_000L, 1).toString())
        .isEqualTo("cpu=2,memory=1000000000,slots=1");
    assertThat(Capacity.parse(c.toString(), MACHINE)).isEqualTo(c);
  }

  @Test
  void aPollNeverAsksForMoreThanTheWorkersSlots() {
    WorkerInfo w = new WorkerInfo("w", "default", "default", java.util.Map.of(), MACHINE);
    assertThat(new PollRequest(w, 16, 0).max()).isEqualTo(16);
    assertThatThrownBy(() -> new PollRequest(w, 17, 0)).hasMessageContaining("slots (16)");
    assertThatThrownBy(() -> new PollRequest(w, 0, 0)).isInstanceOf(IllegalArgumentException.class);
  }
}
