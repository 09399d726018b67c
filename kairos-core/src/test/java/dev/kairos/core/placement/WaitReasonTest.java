package dev.kairos.core.placement;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kairos.core.placement.WaitReason.Needs;
import dev.kairos.core.placement.WaitReason.Offer;
import dev.kairos.core.protocol.Allocation;
import dev.kairos.core.protocol.Capacity;
import dev.kairos.core.protocol.WorkerInfo;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WaitReasonTest {
  static Offer offer(
      String pool, String cluster, String capacity, String free, Map<String, String> labels) {
    Capacity c = Capacity.parse(capacity, null);
    Capacity f = Capacity.parse(free + ",slots=1", null);
    return new Offer(
        new WorkerInfo("w-" + cluster + capacity, pool, cluster, labels, c),
        new Allocation(f.millicores(), f.memoryBytes()));
  }

  static Needs needs(long millis, String cluster, boolean strict, Map<String, String> selector) {
    return new Needs("gpu", new Allocation(millis, 1L << 30), cluster, strict, selector);
  }

  static final Offer SMALL =
      offer("gpu", "east", "cpu=4,memory=8Gi,slots=4", "cpu=1,memory=8Gi", Map.of());
  static final Offer BIG =
      offer("gpu", "west", "cpu=16,memory=8Gi,slots=4", "cpu=2,memory=8Gi", Map.of("gpu", "a100"));

  @Test
  void saysWhatIsMissingFirstPoolThenClusterLabelsSizeAndFreeCapacity() {
    assertThat(WaitReason.explain(needs(1000, null, false, Map.of()), List.of(), null))
        .isEqualTo("no live worker in pool gpu");
    assertThat(WaitReason.explain(needs(1000, "north", true, Map.of()), List.of(SMALL), null))
        .isEqualTo(
            "no live worker in cluster north of pool gpu (placement.strict: the run waits for its"
                + " cluster)");
    assertThat(
            WaitReason.explain(
                needs(1000, null, false, Map.of("gpu", "h100")), List.of(SMALL, BIG), null))
        .isEqualTo("no live worker in pool gpu has the labels gpu=h100");
    assertThat(WaitReason.explain(needs(8000, "east", false, Map.of()), List.of(SMALL, BIG), null))
        .isEqualTo("no worker in pool gpu has 8 cpu; largest is 4 (it waits for a bigger worker)");
    assertThat(WaitReason.explain(needs(3000, null, false, Map.of()), List.of(SMALL, BIG), null))
        .isEqualTo(
            "no worker in pool gpu has 3 cpu free; most free is 2 (it waits for running attempts"
                + " to end)");
    assertThat(WaitReason.explain(needs(3000, null, false, Map.of()), List.of(SMALL, BIG), 10))
        .isEqualTo("pool gpu runs its maxRunning (10) attempts");
  }

  @Test
  void aClusterWithoutWorkersFailsOverAndSomethingThatFitsWaitsForNothing() {
    // north has no live worker: its run may run anywhere, and the big worker has room
    assertThat(WaitReason.explain(needs(2000, "north", false, Map.of()), List.of(SMALL, BIG), null))
        .isNull();
    assertThat(WaitReason.explain(needs(500, "east", false, Map.of()), List.of(SMALL, BIG), null))
        .isNull();
    assertThat(
            WaitReason.explain(
                new Needs("gpu", new Allocation(0, 16L << 30), null, false, Map.of()),
                List.of(SMALL, BIG),
                null))
        .isEqualTo(
            "no worker in pool gpu has 16Gi memory; largest is 8Gi (it waits for a bigger worker)");
  }
}
