package dev.kairos.core.spec;

import java.time.Duration;

/**
 * The range of every number and duration a job spec holds, checked when the job is applied: a value
 * outside gets an error that names the field and the bound, and nothing is stored. The bounds are
 * wide enough for any real schedule and narrow enough that arithmetic on them (backoff, deadlines,
 * leases, ranks) stays far from overflowing. docs/job-spec.md#ranges lists the same.
 */
public final class Bounds {
  /** The shortest duration a spec field takes. */
  public static final Duration SHORTEST = Duration.ofMillis(1);

  /**
   * The longest duration a spec field takes (retry intervals, timeouts, SLAs, deadlines): a year. A
   * longer one is almost surely a mistake (the issue that added this bound saw 999999999999d).
   */
  public static final Duration LONGEST = Duration.ofDays(365);

  /** {@code spec.startingDeadlineSeconds}: 1 s to a year. */
  public static final long STARTING_DEADLINE_SECONDS_MAX = LONGEST.toSeconds();

  /** {@code priority}: as Kubernetes' user priority classes, at most a billion either way. */
  public static final int PRIORITY_MAX = 1_000_000_000;

  /** {@code retryPolicy.maxRetries} and {@code retryPolicy.maxLost}. */
  public static final int RETRIES_MAX = 100;

  /** {@code retryPolicy.backoffMultiplier}: from 1 (a fixed interval) to 100. */
  public static final double BACKOFF_MULTIPLIER_MAX = 100;

  /** {@code spec.maxActiveRuns}. */
  public static final int ACTIVE_RUNS_MAX = 100_000;

  /** {@code placement.clusters[].weight}. */
  public static final int WEIGHT_MAX = 1_000_000;

  /** {@code spec.history.successfulRuns} and {@code failedRuns}: runs kept per job. */
  public static final int HISTORY_MAX = 100_000;

  /**
   * {@code http.maxResponseBytes}: 1 byte to 64 MiB. A worker keeps at most the first megabyte of
   * an answer in memory whatever the cap (the rest is counted and dropped), so a large cap costs
   * reading time, not memory.
   */
  public static final long RESPONSE_BYTES_MAX = 64L << 20;

  /**
   * The largest manifest the API takes, as its request body (JSON or YAML): 1 MiB, some thousands
   * of tasks. {@code kairos apply} sends each document of a file on its own, so the cap is per
   * document.
   */
  public static final long MANIFEST_BYTES_MAX = 1L << 20;

  /**
   * {@code resources.limits.pids}: processes (and threads) an attempt may have at once, from 1 to a
   * million (Linux's own {@code pid_max} is at most about four million).
   */
  public static final int PIDS_MAX = 1_000_000;

  private Bounds() {}
}
