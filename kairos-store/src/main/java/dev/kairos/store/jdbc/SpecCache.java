package dev.kairos.store.jdbc;

import dev.kairos.core.run.TaskOrder;
import dev.kairos.core.spec.JobManifest;
import dev.kairos.core.spec.JobManifestCodec;
import dev.kairos.core.spec.TaskSpec;
import dev.kairos.core.spec.TaskSpecCodec;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parsed manifests and task specs by their stored JSON. Job versions and attempt task snapshots
 * never change once written, so their text is a safe key; parsing on the hot completion path would
 * otherwise cost more than the SQL.
 */
final class SpecCache {
  private static final int MAX_ENTRIES = 20_000;

  private final Map<String, JobManifest> manifests = lru();
  private final Map<String, TaskSpec> tasks = lru();
  private final Map<String, Version> versions = lru();

  /**
   * A job version as a run advances it: its manifest and its tasks sorted upstream first.
   *
   * @param manifest the version's manifest
   * @param order its tasks, sorted once
   */
  record Version(JobManifest manifest, TaskOrder order) {}

  private static <V> Map<String, V> lru() {
    return new LinkedHashMap<>(256, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
        return size() > MAX_ENTRIES;
      }
    };
  }

  synchronized JobManifest manifest(String json) {
    return manifests.computeIfAbsent(json, JobManifestCodec::parseStoredJson);
  }

  /**
   * A job version by its key, {@code namespace/name@version#createdAt}: a job deleted and created
   * again starts its versions anew, and the time the version was written tells the two apart. Null
   * when not cached: the caller reads the manifest and passes it to {@link #version(String,
   * String)}.
   */
  synchronized Version cachedVersion(String key) {
    return versions.get(key);
  }

  synchronized Version version(String key, String json) {
    return versions.computeIfAbsent(
        key,
        k -> {
          JobManifest m = JobManifestCodec.parseStoredJson(json);
          return new Version(m, TaskOrder.of(m.spec().tasks()));
        });
  }

  synchronized TaskSpec task(String json) {
    return tasks.computeIfAbsent(json, TaskSpecCodec::fromJson);
  }
}
