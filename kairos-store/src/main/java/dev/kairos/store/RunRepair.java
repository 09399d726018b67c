package dev.kairos.store;

/**
 * What an operator can do to a run that has ended. Each clears the attempts of some tasks (they
 * stay as history), reopens the run and lets it go on from there: tasks whose trigger rules are met
 * are queued again, with their retries counted anew.
 */
public sealed interface RunRepair {
  /**
   * Retry a FAILED or CANCELLED run from its failed tasks; tasks that succeeded keep their results.
   */
  record RetryFailed() implements RunRepair {}

  /** Run one task again, and with {@code downstream} every task downstream of it. */
  record Rerun(String task, boolean downstream) implements RunRepair {}

  /** Let a task stand as SUCCEEDED or SKIPPED (its downstream tasks go on accordingly). */
  record Mark(String task, boolean succeeded) implements RunRepair {}
}
