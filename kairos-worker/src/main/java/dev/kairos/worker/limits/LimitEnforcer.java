package dev.kairos.worker.limits;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a worker enforces an attempt's {@code resources.limits}, chosen once from what the machine
 * allows, best first:
 *
 * <ol>
 *   <li>cgroup v2 ({@code memory.max}, {@code cpu.max}), when the worker may create cgroups below
 *       its own with the memory and cpu controllers;
 *   <li>cgroup v1 ({@code memory.limit_in_bytes}, {@code cpu.cfs_quota_us}), when those hierarchies
 *       are mounted and writable;
 *   <li>otherwise {@code ulimit -v} for memory (an allocation past the limit fails inside the task)
 *       and {@code nice} for cpu (a lower priority, not a cap).
 * </ol>
 *
 * <p>With a cgroup, a task that goes over its memory limit is killed by the kernel, and the attempt
 * ends OOM_KILLED; its processes, however many, count together, and any left when it ends are
 * killed. Where the worker may create cgroups, every attempt gets one, limits or not: the cgroup
 * holds all of the attempt's processes whatever they do (setsid, daemons, a cleared environment),
 * which is how they are killed ({@link AttemptLimits#killAll}).
 *
 * <p>{@code limits.pids} is the pids controller's {@code pids.max} where the attempt's cgroup has
 * it, else RLIMIT_NPROC through {@code prlimit} (see {@link Nproc}), else not enforced.
 */
public sealed interface LimitEnforcer permits CgroupV2, CgroupV1, Rlimits {
  Logger LOG = LoggerFactory.getLogger(LimitEnforcer.class);

  /** One line for the worker's log: what is enforced, and how. */
  String describe();

  /** Whether an attempt killed for its memory limit is seen as such (ends OOM_KILLED). */
  default boolean detectsOomKills() {
    return true;
  }

  /** Removes what was made for the worker (its cgroup directories), once it has stopped. */
  default void close() {}

  /**
   * Prepares the limits of one attempt.
   *
   * @param memoryBytes {@code limits.memory}, or null
   * @param cpuMillis {@code limits.cpu}, or null
   * @param pids {@code limits.pids}, or null
   */
  AttemptLimits apply(long attemptId, Long memoryBytes, Long cpuMillis, Long pids)
      throws IOException;

  /** The limits of one attempt; closed once its processes have ended. */
  interface AttemptLimits extends AutoCloseable {
    /** The command, prefixed so that it runs under the limits. */
    List<String> wrap(List<String> command);

    /** Whether the kernel killed a process of the attempt for going over its memory limit. */
    boolean oomKilled();

    /**
     * Kills every process in the attempt's cgroup until it is empty; false, doing nothing, when the
     * attempt has no cgroup (its processes must then be found some other way).
     */
    boolean killAll();

    /** Kills what is left of the attempt's processes and removes what was made for it. */
    @Override
    void close();
  }

  /** Limits that enforce nothing: the command as it is. */
  AttemptLimits NONE =
      new AttemptLimits() {
        @Override
        public List<String> wrap(List<String> command) {
          return command;
        }

        @Override
        public boolean oomKilled() {
          return false;
        }

        @Override
        public boolean killAll() {
          return false;
        }

        @Override
        public void close() {}
      };

  /**
   * The best enforcer this machine allows (see the class comment); logs which.
   *
   * @param owner names the worker's cgroup directories ({@code kairos-<owner>}); characters other
   *     than letters, digits, '.', '_' and '-' become '_'
   */
  static LimitEnforcer detect(String owner) {
    owner = owner.replaceAll("[^A-Za-z0-9._-]", "_");
    LimitEnforcer chosen = CgroupV2.detect(Path.of("/sys/fs/cgroup"), owner);
    if (chosen == null) {
      chosen = CgroupV1.detect(Path.of("/sys/fs/cgroup"), owner);
    }
    if (chosen == null) {
      chosen = new Rlimits();
    }
    LOG.info("resource limits: {}", chosen.describe());
    return chosen;
  }

  /**
   * What {@link #detect} falls back to on a machine where the worker may not create cgroups:
   * rlimits and nice, and no cgroup to kill an attempt's processes through.
   */
  static LimitEnforcer withoutCgroups() {
    return new Rlimits();
  }
}
