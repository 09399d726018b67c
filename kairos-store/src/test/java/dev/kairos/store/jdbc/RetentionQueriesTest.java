package dev.kairos.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RetentionQueriesTest {
  @Test
  void runsAreGroupedInOrderWithinTheRowsOfATransactionAndAHeavyRunGoesAlone() {
    // run 3 is more than 5 rows; run 5 has none counted (1: itself)
    Map<Long, Integer> rows = Map.of(1L, 3, 2L, 2, 3L, 8, 4L, 1);
    assertThat(RetentionQueries.groups(List.of(1L, 2L, 3L, 4L, 5L), rows, 5))
        .containsExactly(List.of(1L, 2L), List.of(3L), List.of(4L, 5L));
    assertThat(RetentionQueries.groups(List.of(), rows, 5)).isEmpty();
  }
}
