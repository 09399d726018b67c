package dev.kairos.core.spec;

import java.util.Map;

/**
 * Resource requests and limits in Kubernetes quantity syntax (cpu: {@code 500m}, {@code "1"};
 * memory: {@code 512Mi}, {@code 1Gi}), stored as written. A worker is given an attempt only if the
 * attempt's requests fit its free capacity; the shell executor enforces the limits where the
 * operating system allows. As in Kubernetes, a limit without a request requests the limit.
 *
 * @param requests what the attempt is reserved on its worker: {@code cpu}, {@code memory}
 * @param limits what it may use at most: {@code cpu}, {@code memory}, and {@code pids}, the number
 *     of processes (threads included) it may have at once, 1 to {@link Bounds#PIDS_MAX}
 */
public record Resources(Map<String, String> requests, Map<String, String> limits) {
  public static final Resources NONE = new Resources(Map.of(), Map.of());

  public Resources {
    requests = Map.copyOf(requests);
    limits = Map.copyOf(limits);
  }

  /** Requested cpu in millicores (the limit when only a limit is given; 0 when neither). */
  public long cpuRequestMillis() {
    String cpu = requests.getOrDefault("cpu", limits.get("cpu"));
    return cpu == null ? 0 : Quantities.millicores(cpu);
  }

  /** Requested memory in bytes (the limit when only a limit is given; 0 when neither). */
  public long memoryRequestBytes() {
    String memory = requests.getOrDefault("memory", limits.get("memory"));
    return memory == null ? 0 : Quantities.bytes(memory);
  }

  /** The cpu limit in millicores, or null when there is none. */
  public Long cpuLimitMillis() {
    return limits.containsKey("cpu") ? Quantities.millicores(limits.get("cpu")) : null;
  }

  /** The memory limit in bytes, or null when there is none. */
  public Long memoryLimitBytes() {
    return limits.containsKey("memory") ? Quantities.bytes(limits.get("memory")) : null;
  }

  /** The limit on processes, or null when there is none. */
  public Long pidsLimit() {
    return limits.containsKey("pids") ? Long.parseLong(limits.get("pids")) : null;
  }
}
