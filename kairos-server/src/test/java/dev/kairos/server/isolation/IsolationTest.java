package dev.kairos.server.isolation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The batch-then-one-by-one rule itself; each loop's use of it is in {@link IsolationContract}. */
class IsolationTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final Isolation isolation = new Isolation(registry);
  private final Map<Integer, String> setAside = new LinkedHashMap<>();
  private final List<Integer> done = new ArrayList<>();

  /** Items that fail alone, with the failure they throw. */
  private Integer run(List<Integer> items, Set<Integer> poison, RuntimeException failure) {
    return isolation.run(
        "test-loop",
        () -> {
          if (items.stream().anyMatch(poison::contains)) {
            throw failure;
          }
          done.addAll(items);
          return items.size();
        },
        () -> items,
        i -> {
          if (poison.contains(i)) {
            throw failure;
          }
          done.add(i);
          return 1;
        },
        setAside::put,
        0,
        Integer::sum);
  }

  @Test
  void aBatchThatSucceedsIsRunOnce() {
    assertThat(run(List.of(1, 2, 3), Set.of(), FaultyStore.overflow())).isEqualTo(3);
    assertThat(done).containsExactly(1, 2, 3);
    assertThat(setAside).isEmpty();
  }

  @Test
  void anItemThatFailsAloneIsSetAsideWithItsReasonAndTheRestGoOn() {
    assertThat(run(List.of(1, 2, 3), Set.of(2), FaultyStore.overflow())).isEqualTo(2);
    assertThat(done).containsExactly(1, 3);
    assertThat(setAside)
        .containsExactly(
            Map.entry(
                2, "internal error in test-loop: ArithmeticException: long overflow (injected)"));
    assertThat(isolation.count("test-loop")).isEqualTo(1);
    assertThat(registry.get("kairos.internal.errors").tag("loop", "test-loop").counter().count())
        .isEqualTo(1);
  }

  @Test
  void aFailureThatMayPassIsThrownBackAndNothingIsSetAside() {
    assertThatThrownBy(() -> run(List.of(1, 2), Set.of(2), FaultyStore.connectionLost()))
        .hasMessageContaining("connection lost");
    assertThat(setAside).isEmpty();
    assertThat(done).isEmpty();
    assertThat(isolation.count("test-loop")).isZero();
  }

  @Test
  void manyItemsFailingInARowAreTakenForAFailureOfTheSystem() {
    List<Integer> items = List.of(1, 2, 3, 4, 5);
    assertThatThrownBy(() -> run(items, Set.copyOf(items), FaultyStore.overflow()))
        .isInstanceOf(ArithmeticException.class);
    assertThat(setAside).hasSize(Isolation.SYSTEMIC_AFTER);
    // a success resets the count: a lone poison item later is set aside again
    run(List.of(6), Set.of(), FaultyStore.overflow());
    run(List.of(7, 8), Set.of(8), FaultyStore.overflow());
    assertThat(setAside).containsKey(8);
  }

  @Test
  void aReasonIsOneLineOfBoundedLength() {
    String long1 = "x".repeat(1_000) + "\nsecond line";
    assertThat(Isolation.describe(new IllegalStateException(long1)))
        .startsWith("IllegalStateException: xxx")
        .endsWith("...")
        .doesNotContain("second line")
        .hasSizeLessThan(350);
  }
}
