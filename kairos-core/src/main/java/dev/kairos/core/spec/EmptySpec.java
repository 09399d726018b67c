package dev.kairos.core.spec;

/** Completes at once without running anything: a DAG join point and the benchmark's no-op. */
public record EmptySpec() implements ExecutorSpec {
  @Override
  public String type() {
    return "empty";
  }
}
