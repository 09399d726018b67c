package dev.kairos.server.pools;

import dev.kairos.core.placement.WaitReason;
import dev.kairos.core.protocol.Allocation;
import dev.kairos.core.run.AttemptState;
import dev.kairos.core.spec.Durations;
import dev.kairos.store.AttemptRecord;
import dev.kairos.store.PoolBacklog;
import dev.kairos.store.PoolSettings;
import dev.kairos.store.Store;
import dev.kairos.store.WorkerRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The pools as they stand, read from the store so that every replica shows the same: live workers
 * per pool and cluster with their capacity and what their attempts use, the backlog (due attempts
 * not claimed) and how long its oldest has waited; and why a queued attempt is not running.
 */
public final class PoolStatus {
  private final Store store;
  private final Clock clock;
  private final Duration liveness;

  /**
   * @param liveness a worker heard from within this long is live (the lease)
   */
  public PoolStatus(Store store, Clock clock, Duration liveness) {
    this.store = store;
    this.clock = clock;
    this.liveness = liveness;
  }

  /**
   * One pool.
   *
   * @param backlogAnyCluster due attempts that may run in any cluster (no placement.clusters)
   */
  public record PoolView(
      String pool,
      Integer maxRunning,
      String priorityAging,
      String order,
      String orderWindow,
      Usage total,
      long backlogAnyCluster,
      List<ClusterView> clusters) {

    /**
     * @param orderWindow the window in effect in a shortest-predicted-first pool (see {@link
     *     PoolSettings#window()}); null in a FIFO pool
     */
    static PoolView of(PoolSettings s, Usage total, long backlogAnyCluster, List<ClusterView> c) {
      return new PoolView(
          s.name(),
          s.maxRunning(),
          Durations.format(s.priorityAging()),
          s.order().spelling(),
          s.shortestFirst() ? Durations.format(s.window()) : null,
          total,
          backlogAnyCluster,
          c);
    }
  }

  /**
   * One cluster of a pool; {@code backlog} counts the due attempts whose runs were given this
   * cluster.
   */
  public record ClusterView(String cluster, Usage usage) {}

  /**
   * Workers and work of a pool or a cluster.
   *
   * @param oldestWaitSeconds how long the longest-waiting due attempt has waited; null if none
   */
  public record Usage(
      int liveWorkers,
      String cpu,
      String memory,
      int slots,
      String usedCpu,
      String usedMemory,
      int running,
      long backlog,
      Long oldestWaitSeconds) {}

  private static final class Sum {
    int workers;
    Allocation capacity = Allocation.NONE;
    Allocation used = Allocation.NONE;
    int slots;
    int running;
    long backlog;
    Instant oldest;

    void add(WorkerRecord w) {
      workers++;
      capacity = capacity.plus(Allocation.of(w.info().capacity()));
      used = used.plus(w.used());
      slots += w.info().capacity().slots();
      running += w.running();
    }

    void add(PoolBacklog b) {
      backlog += b.queued();
      oldest = oldest == null || b.oldestDue().isBefore(oldest) ? b.oldestDue() : oldest;
    }

    Usage usage(Instant now) {
      return new Usage(
          workers,
          capacity.cpu(),
          capacity.memory(),
          slots,
          used.cpu(),
          used.memory(),
          running,
          backlog,
          oldest == null ? null : Math.max(0, Duration.between(oldest, now).toSeconds()));
    }
  }

  /** A pool with no live worker, no backlog and no settings of its own. */
  public PoolView empty(String pool) {
    return PoolView.of(store.poolSettings(pool), new Sum().usage(clock.instant()), 0, List.of());
  }

  /** Workers heard from within the liveness, with what their attempts use. */
  public List<WorkerRecord> liveWorkers() {
    return store.liveWorkers(clock.instant().minus(liveness));
  }

  /** Every pool that has live workers, a backlog or settings of its own, by name. */
  public List<PoolView> pools() {
    Instant now = clock.instant();
    List<WorkerRecord> live = store.liveWorkers(now.minus(liveness));
    List<PoolBacklog> backlog = store.backlog(now);
    Map<String, PoolSettings> settings = new TreeMap<>();
    store.listPoolSettings().forEach(s -> settings.put(s.name(), s));
    TreeSet<String> names = new TreeSet<>(settings.keySet());
    live.forEach(w -> names.add(w.info().pool()));
    backlog.forEach(b -> names.add(b.pool()));
    List<PoolView> views = new ArrayList<>();
    for (String pool : names) {
      Sum total = new Sum();
      Sum any = new Sum();
      Map<String, Sum> clusters = new TreeMap<>();
      for (WorkerRecord w : live) {
        if (w.info().pool().equals(pool)) {
          total.add(w);
          clusters.computeIfAbsent(w.info().cluster(), c -> new Sum()).add(w);
        }
      }
      for (PoolBacklog b : backlog) {
        if (b.pool().equals(pool)) {
          total.add(b);
          (b.cluster() == null ? any : clusters.computeIfAbsent(b.cluster(), c -> new Sum()))
              .add(b);
        }
      }
      PoolSettings s = settings.getOrDefault(pool, PoolSettings.defaults(pool));
      views.add(
          PoolView.of(
              s,
              total.usage(now),
              any.backlog,
              clusters.entrySet().stream()
                  .map(e -> new ClusterView(e.getKey(), e.getValue().usage(now)))
                  .toList()));
    }
    return views;
  }

  /**
   * Says why a queued, due attempt waits (null for others, and for one a worker will take at its
   * next poll). Reads the live workers once, when first asked.
   */
  public Function<AttemptRecord, String> explainer() {
    Instant now = clock.instant();
    List<WorkerRecord> live = new ArrayList<>();
    Map<String, Integer> fullPools = new TreeMap<>();
    boolean[] loaded = {false};
    return a -> {
      if (a.state() != AttemptState.QUEUED || a.notBefore().isAfter(now)) {
        return null;
      }
      if (!loaded[0]) {
        live.addAll(store.liveWorkers(now.minus(liveness)));
        loaded[0] = true;
      }
      Integer full = fullPools.computeIfAbsent(a.pool(), p -> poolFull(p, live));
      return WaitReason.explain(
          new WaitReason.Needs(
              a.pool(),
              Allocation.requestedBy(a.task().resources()),
              a.cluster(),
              a.strictCluster(),
              a.selector()),
          live.stream().map(w -> new WaitReason.Offer(w.info(), w.free())).toList(),
          full == 0 ? null : full);
    };
  }

  /** The pool's maxRunning if that many of its attempts run on live workers, else 0. */
  private int poolFull(String pool, List<WorkerRecord> live) {
    Integer max = store.poolSettings(pool).maxRunning();
    if (max == null) {
      return 0;
    }
    int running =
        live.stream()
            .filter(w -> w.info().pool().equals(pool))
            .mapToInt(WorkerRecord::running)
            .sum();
    return running >= max ? max : 0;
  }
}
