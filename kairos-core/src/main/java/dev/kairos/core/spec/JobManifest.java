package dev.kairos.core.spec;

import java.util.Map;

/**
 * A whole Job document: {@code apiVersion: kairos.dev/v1}, {@code kind: Job}, metadata and spec.
 *
 * @param namespace {@code metadata.namespace}; default {@code default}
 * @param name {@code metadata.name}; a DNS-1123 label (lower case letters, digits, '-'; 1-63)
 * @param labels {@code metadata.labels}
 * @param spec the validated spec
 */
public record JobManifest(String namespace, String name, Map<String, String> labels, JobSpec spec) {
  public static final String API_VERSION = "kairos.dev/v1";
  public static final String KIND = "Job";

  public JobManifest {
    labels = Map.copyOf(labels);
  }

  public JobKey key() {
    return new JobKey(namespace, name);
  }

  /** This manifest as shown to people: inline secret values replaced by {@code ***}. */
  public JobManifest redacted() {
    return new JobManifest(
        namespace,
        name,
        labels,
        spec.withTasks(spec.tasks().stream().map(TaskSpec::redacted).toList()));
  }
}
