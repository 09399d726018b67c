package dev.kairos.server.retention;

import dev.kairos.core.spec.JobKey;
import dev.kairos.store.HistoryCut;
import dev.kairos.store.RetentionStore;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which jobs' history is worth cutting next. Finding where a job's history cuts its runs reads its
 * newest runs of each kind (no index on runs may hold their state: see the V2 migration), about 4
 * ms for a job that keeps 300 on a 2-core machine, so it is not done for every job every minute:
 *
 * <ul>
 *   <li>A job is due once a tenth of what it keeps (at least one run) has been created since its
 *       last cut: only newer runs can push older ones out. So between cuts a job holds at most
 *       about a tenth more ended runs than it keeps, and the cost of cutting grows with the runs
 *       made, not with the jobs times the minutes. A job not cut yet is due at its first new run.
 *   <li>A sweep makes every job due in turn, {@code sweepPage} a look, whatever its runs: for a
 *       limit lowered, a run repaired, runs that ended after the cut that saw them start, or while
 *       no server ran.
 * </ul>
 *
 * Due jobs wait in the order they became due. Not thread-safe: the retention duty's thread only.
 */
final class HistoryWatch {
  private final RetentionStore store;
  private final int sweepPage;

  private long watermark = -1;
  private final Map<JobKey, Integer> created = new HashMap<>();
  private final Map<JobKey, Integer> slack = new HashMap<>();
  private final Set<JobKey> due = new LinkedHashSet<>();
  private JobKey sweptTo;
  private Set<JobKey> swept = new HashSet<>();

  /**
   * @param sweepPage jobs the sweep makes due per look; 0 sweeps none (tests)
   */
  HistoryWatch(RetentionStore store, int sweepPage) {
    this.store = store;
    this.sweepPage = sweepPage;
  }

  /**
   * Takes in the runs created since the last look, and the sweep's next page. The first look only
   * notes where runs stand: counting every run there is would read the whole table.
   */
  void look() {
    long last = store.lastRunId();
    if (watermark >= 0) {
      for (Map.Entry<JobKey, Integer> e : store.runsCreatedAfter(watermark).entrySet()) {
        int since = created.merge(e.getKey(), e.getValue(), Integer::sum);
        if (since >= slack.getOrDefault(e.getKey(), 1)) {
          due.add(e.getKey());
        }
      }
    }
    watermark = last;
    if (sweepPage > 0) {
      List<JobKey> page = store.jobsAfter(sweptTo, sweepPage);
      due.addAll(page);
      swept.addAll(page);
      if (page.size() < sweepPage) {
        // a pass is over: forget what was kept of jobs that are gone
        created.keySet().retainAll(swept);
        slack.keySet().retainAll(swept);
        swept = new HashSet<>();
        sweptTo = null;
      } else {
        sweptTo = page.get(page.size() - 1);
      }
    }
  }

  /** The job due longest, taken off the list; null when none is due. */
  JobKey next() {
    Iterator<JobKey> it = due.iterator();
    if (!it.hasNext()) {
      return null;
    }
    JobKey job = it.next();
    it.remove();
    return job;
  }

  /** How many jobs are due. */
  int dueCount() {
    return due.size();
  }

  /** The job was cut at {@code cut}: it is due again after a tenth of what it keeps. */
  void wasCut(JobKey job, HistoryCut cut) {
    created.remove(job);
    slack.put(job, Math.max(1, cut.kept() / 10));
  }
}
