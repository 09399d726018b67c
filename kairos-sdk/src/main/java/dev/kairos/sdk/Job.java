package dev.kairos.sdk;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kairos.core.spec.JobManifest;
import dev.kairos.core.spec.JobManifestCodec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A job defined in code:
 *
 * <pre>{@code
 * Task extract = Task.shell("extract", "python extract.py");
 * Task transform = Task.java("transform", "transform");
 * Task load = Task.empty("load");
 * extract.then(transform).then(load);
 * JobManifest job = Job.named("etl").schedule("@daily").pool("java")
 *     .tasks(extract, transform, load).build();
 * }</pre>
 *
 * {@link #build()} goes through the same validation as a YAML manifest (a cycle, an unknown
 * dependency or a bad field is a {@code ValidationException} naming the field).
 */
public final class Job {
  private final ObjectNode meta = JsonNodeFactory.instance.objectNode();
  private final ObjectNode spec = JsonNodeFactory.instance.objectNode();
  private final List<Task> tasks = new ArrayList<>();

  private Job(String name) {
    meta.put("name", name);
  }

  public static Job named(String name) {
    return new Job(name);
  }

  public Job namespace(String namespace) {
    meta.put("namespace", namespace);
    return this;
  }

  /** A cron expression or macro (@daily), read in {@link #timeZone}. */
  public Job schedule(String cron) {
    spec.put("schedule", cron);
    return this;
  }

  public Job timeZone(String zone) {
    spec.put("timeZone", zone);
    return this;
  }

  /** Allow (default), Forbid or Replace. */
  public Job concurrencyPolicy(String policy) {
    spec.put("concurrencyPolicy", policy);
    return this;
  }

  /** The pool whose workers run its tasks (java tasks: a pool of {@link KairosWorker}s). */
  public Job pool(String pool) {
    spec.putObject("placement").put("pool", pool);
    return this;
  }

  public Job tasks(Task... tasks) {
    this.tasks.addAll(Arrays.asList(tasks));
    return this;
  }

  /** The manifest, validated. */
  public JobManifest build() {
    return JobManifestCodec.parseJson(toJson().toString());
  }

  ObjectNode toJson() {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    root.put("apiVersion", JobManifest.API_VERSION).put("kind", JobManifest.KIND);
    root.set("metadata", meta.deepCopy());
    ObjectNode s = spec.deepCopy();
    ArrayNode list = s.putArray("tasks");
    tasks.forEach(t -> list.add(t.toJson()));
    root.set("spec", s);
    return root;
  }
}
