package dev.kairos.core.placement;

import dev.kairos.core.protocol.Allocation;
import dev.kairos.core.protocol.WorkerInfo;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Why a due attempt is still queued, in words for an operator: no live worker in its pool, none in
 * its cluster (strict placement), none with its labels, none big enough, none with enough free now,
 * or its pool at its limit. Null when a live worker could take it now (it will at its next poll).
 */
public final class WaitReason {
  private WaitReason() {}

  /**
   * What a queued attempt needs.
   *
   * @param cluster its run's cluster, or null for any
   * @param strict whether it waits for that cluster
   * @param selector labels its worker must have
   */
  public record Needs(
      String pool,
      Allocation requests,
      String cluster,
      boolean strict,
      Map<String, String> selector) {}

  /** A live worker with what it has free now. */
  public record Offer(WorkerInfo worker, Allocation free) {}

  /**
   * @param poolFull the pool's {@code maxRunning} when that many of its attempts run, else null
   */
  public static String explain(Needs needs, List<Offer> live, Integer poolFull) {
    String pool = needs.pool();
    if (poolFull != null) {
      return "pool " + pool + " runs its maxRunning (" + poolFull + ") attempts";
    }
    List<Offer> inPool = live.stream().filter(o -> o.worker().pool().equals(pool)).toList();
    if (inPool.isEmpty()) {
      return "no live worker in pool " + pool;
    }
    List<Offer> candidates = inPool;
    if (needs.cluster() != null) {
      List<Offer> inCluster =
          inPool.stream().filter(o -> o.worker().cluster().equals(needs.cluster())).toList();
      if (inCluster.isEmpty() && needs.strict()) {
        return "no live worker in cluster "
            + needs.cluster()
            + " of pool "
            + pool
            + " (placement.strict: the run waits for its cluster)";
      }
      // a cluster without live workers fails over to the others
      candidates = inCluster.isEmpty() ? inPool : inCluster;
    }
    List<Offer> labelled =
        candidates.stream()
            .filter(o -> o.worker().labels().entrySet().containsAll(needs.selector().entrySet()))
            .toList();
    if (labelled.isEmpty()) {
      return "no live worker in pool " + pool + " has the labels " + labels(needs.selector());
    }
    Allocation req = needs.requests();
    List<Offer> bigEnough =
        labelled.stream().filter(o -> req.fits(Allocation.of(o.worker().capacity()))).toList();
    if (bigEnough.isEmpty()) {
      return shortfall(pool, req, labelled, false);
    }
    if (bigEnough.stream().noneMatch(o -> req.fits(o.free()))) {
      return shortfall(pool, req, bigEnough, true);
    }
    return null;
  }

  /**
   * E.g. "no worker in pool gpu has 8 cpu; largest is 4" or "no worker in pool gpu has 8 cpu free;
   * most free is 2": the first resource that falls short, with the best offer of it.
   */
  private static String shortfall(String pool, Allocation req, List<Offer> offers, boolean free) {
    long bestCpu = 0;
    long bestMemory = 0;
    for (Offer o : offers) {
      Allocation a = free ? o.free() : Allocation.of(o.worker().capacity());
      bestCpu = Math.max(bestCpu, a.millicores());
      bestMemory = Math.max(bestMemory, a.memoryBytes());
    }
    boolean cpuShort = req.millicores() > bestCpu;
    String what = cpuShort ? "cpu" : "memory";
    String needed = cpuShort ? req.cpu() : req.memory();
    String best =
        cpuShort ? new Allocation(bestCpu, 0).cpu() : new Allocation(0, bestMemory).memory();
    return "no worker in pool "
        + pool
        + " has "
        + needed
        + " "
        + what
        + (free ? " free; most free is " : "; largest is ")
        + best
        + (free ? " (it waits for running attempts to end)" : " (it waits for a bigger worker)");
  }

  private static String labels(Map<String, String> selector) {
    StringBuilder sb = new StringBuilder();
    new TreeMap<>(selector)
        .forEach((k, v) -> sb.append(sb.isEmpty() ? "" : ",").append(k).append('=').append(v));
    return sb.toString();
  }
}
