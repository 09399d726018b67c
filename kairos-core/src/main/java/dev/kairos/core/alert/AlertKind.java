package dev.kairos.core.alert;

import java.util.Arrays;
import java.util.Optional;

/** What an alert is about. Each is sent at most once per run and webhook. */
public enum AlertKind {
  /** The run ended FAILED. */
  RUN_FAILED("runFailed"),
  /** A task with a retry policy failed its last allowed attempt. */
  RETRIES_EXHAUSTED("retriesExhausted"),
  /** The run is still going after the job's {@code alerts.sla}. */
  SLA_EXCEEDED("slaExceeded"),
  /** A fire was later than {@code startingDeadlineSeconds} and recorded as missed. */
  FIRE_MISSED("fireMissed"),
  /** The run's predicted finish is past its {@code spec.deadline}, which has not passed yet. */
  SLA_AT_RISK("slaAtRisk"),
  /**
   * Kairos could not handle one of the run's items (recording an attempt's end, firing the
   * schedule, queueing a held run) for a reason that will not pass, and set it aside: the attempt
   * or run ended FAILED with the internal error as its reason, and everything else went on.
   */
  INTERNAL_ERROR("internalError");

  private final String specName;

  AlertKind(String specName) {
    this.specName = specName;
  }

  /** The name in a job spec ({@code on: [runFailed]}) and in webhook bodies. */
  public String specName() {
    return specName;
  }

  public static Optional<AlertKind> bySpecName(String name) {
    return Arrays.stream(values()).filter(k -> k.specName.equals(name)).findFirst();
  }
}
