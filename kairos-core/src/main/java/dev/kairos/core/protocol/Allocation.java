package dev.kairos.core.protocol;

import dev.kairos.core.spec.Resources;

/**
 * An amount of cpu and memory: what an attempt requests of its worker, or what a worker has free.
 *
 * @param millicores cpu in thousandths of a core
 * @param memoryBytes memory in bytes
 */
public record Allocation(long millicores, long memoryBytes) {
  public static final Allocation NONE = new Allocation(0, 0);

  public Allocation {
    if (millicores < 0 || memoryBytes < 0) {
      throw new IllegalArgumentException(
          "negative allocation: millicores=" + millicores + " memoryBytes=" + memoryBytes);
    }
  }

  /** What a task requests ({@code resources.requests}, or its limits when it sets only those). */
  public static Allocation requestedBy(Resources resources) {
    return new Allocation(resources.cpuRequestMillis(), resources.memoryRequestBytes());
  }

  /** All of a worker's cpu and memory. */
  public static Allocation of(Capacity capacity) {
    return new Allocation(capacity.millicores(), capacity.memoryBytes());
  }

  public boolean fits(Allocation free) {
    return millicores <= free.millicores && memoryBytes <= free.memoryBytes;
  }

  public Allocation plus(Allocation other) {
    return new Allocation(millicores + other.millicores, memoryBytes + other.memoryBytes);
  }

  /** This less {@code other}, never below zero. */
  public Allocation minus(Allocation other) {
    return new Allocation(
        Math.max(0, millicores - other.millicores), Math.max(0, memoryBytes - other.memoryBytes));
  }

  /** Cpu as a Kubernetes quantity ({@code 2}, {@code 500m}). */
  public String cpu() {
    return Capacity.formatCpu(millicores);
  }

  /** Memory as a Kubernetes quantity ({@code 4Gi}, {@code 1536Mi}). */
  public String memory() {
    return Capacity.formatMemory(memoryBytes);
  }

  @Override
  public String toString() {
    return "cpu=" + cpu() + ",memory=" + memory();
  }
}
