package dev.kairos.core.spec;

import java.util.Arrays;
import java.util.List;

/**
 * When a task with upstream tasks runs, given how they ended (Airflow's trigger rules, in camel
 * case). "Failed" counts an upstream that FAILED, TIMED_OUT, was OOM_KILLED or LOST after its
 * retries, and one that is UPSTREAM_FAILED; "done" is any end, including SKIPPED. A task whose rule
 * can no longer be met ends SKIPPED or UPSTREAM_FAILED without running (see {@code RunAdvancer}).
 */
public enum TriggerRule {
  /** Every upstream succeeded (the default). */
  ALL_SUCCESS("allSuccess"),
  /** Every upstream is done, whatever the outcome. */
  ALL_DONE("allDone"),
  /** Every upstream failed. */
  ALL_FAILED("allFailed"),
  /** At least one upstream succeeded: runs as soon as one has. */
  ONE_SUCCESS("oneSuccess"),
  /** At least one upstream failed: runs as soon as one has. */
  ONE_FAILED("oneFailed"),
  /** Every upstream is done and none failed (succeeded or skipped). */
  NONE_FAILED("noneFailed");

  private final String spelling;

  TriggerRule(String spelling) {
    this.spelling = spelling;
  }

  /** As written in a manifest. */
  public String spelling() {
    return spelling;
  }

  /** The rule written {@code text}, or null if there is none. */
  public static TriggerRule parse(String text) {
    return Arrays.stream(values()).filter(r -> r.spelling.equals(text)).findFirst().orElse(null);
  }

  /** Every spelling, in declaration order. */
  public static List<String> spellings() {
    return Arrays.stream(values()).map(TriggerRule::spelling).toList();
  }
}
