package dev.kairos.core.spec;

import java.util.List;
import java.util.Map;

/**
 * Where a job's attempts run: {@code spec.placement}.
 *
 * <pre>{@code
 * placement:
 *   pool: default                  # the workers that serve it
 *   clusters:                      # optional: spread runs over clusters by weight
 *     - {name: east, weight: 60}
 *     - {name: west, weight: 40}
 *   strict: false                  # true: a run waits for its cluster instead of failing over
 *   labels: {zone: eu-1a}          # optional: only workers with these labels (like nodeSelector)
 * }</pre>
 *
 * @param pool the pool whose workers run the job's attempts; default {@code default}
 * @param clusters the clusters to spread runs over, each run (all its tasks and retries) going to
 *     one of them chosen by weight; empty = any cluster. When a chosen cluster has no live worker
 *     in the pool, the run's attempts may run in any cluster, unless {@code strict}.
 * @param strict whether a run waits for a live worker in its chosen cluster (and says so) rather
 *     than fail over to another cluster; default false
 * @param labels labels a worker must carry (same key, same value) to run the job's attempts
 */
public record Placement(
    String pool, List<ClusterWeight> clusters, boolean strict, Map<String, String> labels) {
  public static final Placement DEFAULT = new Placement("default", List.of(), false, Map.of());

  public Placement {
    clusters = List.copyOf(clusters);
    labels = Map.copyOf(labels);
  }

  /**
   * One cluster of {@code placement.clusters}.
   *
   * @param name the cluster a worker declares with {@code --cluster}
   * @param weight its share of the runs, relative to the other clusters' weights (1 to 1,000,000)
   */
  public record ClusterWeight(String name, int weight) {}

  /** The cluster of run {@code runId}, or null when the job does not choose clusters. */
  public String clusterFor(long runId) {
    return dev.kairos.core.placement.ClusterChoice.pick(clusters, runId);
  }
}
