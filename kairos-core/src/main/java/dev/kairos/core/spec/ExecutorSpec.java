package dev.kairos.core.spec;

/**
 * What a task executes. One record per executor; each executor has its own package in the worker.
 */
public sealed interface ExecutorSpec permits ShellSpec, EmptySpec, JavaSpec, HttpSpec {

  /**
   * The field name of this executor in the task spec ({@code shell}, {@code empty}, {@code java},
   * {@code http}).
   */
  String type();

  /**
   * This executor as people see it (through the API and CLI): inline secret values replaced by
   * {@code ***}, references to secrets ({@code fromFile}, {@code fromEnv}) kept.
   */
  default ExecutorSpec redacted() {
    return this;
  }
}
