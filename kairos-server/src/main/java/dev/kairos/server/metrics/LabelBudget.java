package dev.kairos.server.metrics;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps the job and task labels of metrics bounded: the first {@code maxJobs} jobs and {@code
 * maxTasks} tasks seen by this process get labels of their own, later ones are counted under
 * {@value #OTHER}. A DAG of 10,000 tasks would otherwise add 10,000 series to every task metric
 * (and 17 buckets each to the duration histogram), which is what makes a Prometheus server fall
 * over. Run and attempt ids are never labels.
 */
public final class LabelBudget {
  /** The label value of the jobs and tasks beyond the budget. */
  public static final String OTHER = "_other";

  private final int maxJobs;
  private final int maxTasks;
  private final Set<String> jobs = ConcurrentHashMap.newKeySet();
  private final Set<String> tasks = ConcurrentHashMap.newKeySet();

  /**
   * 1,000 jobs and 2,000 tasks: at most about 50,000 series for the task counter and histogram
   * together, which one Prometheus server holds without trouble.
   */
  public static LabelBudget defaults() {
    return new LabelBudget(1_000, 2_000);
  }

  public LabelBudget(int maxJobs, int maxTasks) {
    if (maxJobs < 1 || maxTasks < 1) {
      throw new IllegalArgumentException("label budgets must be at least 1");
    }
    this.maxJobs = maxJobs;
    this.maxTasks = maxTasks;
  }

  /** The job label for {@code namespace/job}: the job's name, or {@value #OTHER}. */
  public String job(String namespace, String job) {
    return admit(jobs, maxJobs, namespace + "/" + job) ? job : OTHER;
  }

  /** The task label for a task of a job: the task's name, or {@value #OTHER}. */
  public String task(String namespace, String job, String task) {
    return admit(tasks, maxTasks, namespace + "/" + job + "/" + task) ? task : OTHER;
  }

  private static boolean admit(Set<String> seen, int max, String key) {
    if (seen.contains(key)) {
      return true;
    }
    // a race may admit a few past the budget; the bound is what matters, not its exact value
    if (seen.size() >= max) {
      return false;
    }
    seen.add(key);
    return true;
  }
}
