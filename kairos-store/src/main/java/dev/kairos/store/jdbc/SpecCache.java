package dev.kairos.store.jdbc;

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

  private static <V> Map<String, V> lru() {
    return new LinkedHashMap<>(256, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
        return size() > MAX_ENTRIES;
      }
    };
  }

  synchronized JobManifest manifest(String json) {
    return manifests.computeIfAbsent(json, JobManifestCodec::parseJson);
  }

  synchronized TaskSpec task(String json) {
    return tasks.computeIfAbsent(json, TaskSpecCodec::fromJson);
  }
}
