package dev.kairos.core.spec;

import java.util.Map;

/**
 * Resource requests and limits in Kubernetes quantity syntax (cpu: {@code 500m}, {@code "1"};
 * memory: {@code 512Mi}, {@code 1Gi}). Stored as given; placement uses them from the placement
 * issue on.
 */
public record Resources(Map<String, String> requests, Map<String, String> limits) {
  public static final Resources NONE = new Resources(Map.of(), Map.of());

  public Resources {
    requests = Map.copyOf(requests);
    limits = Map.copyOf(limits);
  }
}
