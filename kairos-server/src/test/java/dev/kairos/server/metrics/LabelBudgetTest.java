package dev.kairos.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LabelBudgetTest {
  @Test
  void jobsAndTasksBeyondTheBudgetShareOneLabel() {
    LabelBudget budget = new LabelBudget(2, 3);
    assertThat(budget.job("default", "a")).isEqualTo("a");
    assertThat(budget.job("other", "a")).isEqualTo("a");
    assertThat(budget.job("default", "b")).isEqualTo(LabelBudget.OTHER);
    // those admitted keep their label
    assertThat(budget.job("default", "a")).isEqualTo("a");
    assertThat(budget.task("default", "a", "t1")).isEqualTo("t1");
    assertThat(budget.task("default", "a", "t2")).isEqualTo("t2");
    assertThat(budget.task("default", "c", "t1")).isEqualTo("t1");
    assertThat(budget.task("default", "c", "t2")).isEqualTo(LabelBudget.OTHER);
    assertThat(budget.task("default", "a", "t2")).isEqualTo("t2");
  }
}
