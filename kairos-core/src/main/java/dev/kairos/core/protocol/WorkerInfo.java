package dev.kairos.core.protocol;

import java.util.Map;
import java.util.Objects;

/**
 * Who a worker is and what it offers, declared with every poll so that any replica can serve any
 * worker without remembering it.
 *
 * @param workerId unique among live workers
 * @param pool the pool it serves (a DNS label); jobs choose a pool with {@code spec.placement.pool}
 * @param cluster where it runs (a DNS label), e.g. a region or a Kubernetes cluster; {@code
 *     default} unless told. Placement by cluster weight comes with the placement issue.
 * @param labels Kubernetes-style labels describing it (e.g. {@code zone=a}, {@code gpu=true})
 * @param capacity cpu, memory and slots it offers
 */
public record WorkerInfo(
    String workerId, String pool, String cluster, Map<String, String> labels, Capacity capacity) {
  public static final String DEFAULT_CLUSTER = "default";

  public WorkerInfo {
    Objects.requireNonNull(workerId, "workerId");
    Objects.requireNonNull(pool, "pool");
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(capacity, "capacity");
    labels = Map.copyOf(labels);
  }

  public WorkerInfo withPool(String newPool) {
    return new WorkerInfo(workerId, newPool, cluster, labels, capacity);
  }

  public WorkerInfo withCluster(String newCluster) {
    return new WorkerInfo(workerId, pool, newCluster, labels, capacity);
  }

  public WorkerInfo withLabels(Map<String, String> newLabels) {
    return new WorkerInfo(workerId, pool, cluster, newLabels, capacity);
  }

  public WorkerInfo withCapacity(Capacity newCapacity) {
    return new WorkerInfo(workerId, pool, cluster, labels, newCapacity);
  }
}
