package dev.kairos.core.placement;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kairos.core.spec.Placement.ClusterWeight;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class ClusterChoiceTest {
  private static final List<ClusterWeight> EAST_WEST =
      List.of(new ClusterWeight("east", 60), new ClusterWeight("west", 40));

  private static Map<String, Integer> split(
      List<ClusterWeight> clusters, long first, int n, int stride) {
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < n; i++) {
      counts.merge(ClusterChoice.pick(clusters, first + (long) i * stride), 1, Integer::sum);
    }
    return counts;
  }

  @Test
  void aThousandRunsSplitByWeightWithinOnePercent() {
    Map<String, Integer> counts = split(EAST_WEST, 1, 1_000, 1);
    assertThat(counts.get("east")).isBetween(590, 610);
    assertThat(counts.get("west")).isBetween(390, 410);
  }

  @Test
  void theSameRunAlwaysGetsTheSameCluster() {
    for (long id = 1; id < 100; id++) {
      assertThat(ClusterChoice.pick(EAST_WEST, id)).isEqualTo(ClusterChoice.pick(EAST_WEST, id));
    }
  }

  @Test
  void noClustersMeansAny() {
    assertThat(ClusterChoice.pick(List.of(), 7)).isNull();
  }

  /** Other jobs take ids in between: a job's runs see strided or shifted stretches of ids. */
  @Property(tries = 300)
  void everyStretchOfRunsFollowsTheWeights(
      @ForAll @IntRange(min = 1, max = 100) int a,
      @ForAll @IntRange(min = 1, max = 100) int b,
      @ForAll @IntRange(min = 1, max = 100) int c,
      @ForAll @LongRange(min = 1, max = 1_000_000_000L) long first,
      @ForAll @IntRange(min = 1, max = 7) int stride) {
    List<ClusterWeight> clusters =
        List.of(new ClusterWeight("a", a), new ClusterWeight("b", b), new ClusterWeight("c", c));
    int n = 1_000;
    Map<String, Integer> counts = split(clusters, first, n, stride);
    double total = a + b + c;
    for (ClusterWeight w : clusters) {
      double share = counts.getOrDefault(w.name(), 0) / (double) n;
      // the bar is ±5 points over 1,000 runs
      assertThat(Math.abs(share - w.weight() / total)).isLessThan(0.02);
    }
  }
}
