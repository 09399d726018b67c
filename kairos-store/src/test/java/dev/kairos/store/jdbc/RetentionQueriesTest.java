package dev.kairos.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RetentionQueriesTest {
  @Test
  void runsAreGroupedInOrderWithinTheRowsOfATransactionAndAHeavyRunGoesAlone() {
    // rows: run 1 = 3, run 2 = 2, run 3 = 8 (more than 5), run 4 = 1, run 5 = 1 (no attempts)
    Map<Long, Integer> attempts = Map.of(1L, 2, 2L, 1, 3L, 7, 4L, 0);
    assertThat(RetentionQueries.groups(List.of(1L, 2L, 3L, 4L, 5L), attempts, 5))
        .containsExactly(List.of(1L, 2L), List.of(3L), List.of(4L, 5L));
    assertThat(RetentionQueries.groups(List.of(), attempts, 5)).isEmpty();
  }
}
