package dev.kairos.sdk;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One task of a job defined in code. Dependencies read like Airflow's {@code t1 >> [t2, t3]}:
 * {@code t1.then(t2, t3)}; a chain continues from all of them: {@code t1.then(t2, t3).then(t4)}.
 * Everything is checked when the job is {@linkplain Job#build() built}, by the same validation as a
 * YAML manifest.
 */
public final class Task {
  private final String name;
  private final ObjectNode executor;
  private final Set<String> dependsOn = new LinkedHashSet<>();
  private String triggerRule;
  private Integer maxRetries;
  private Duration initialInterval;
  private Duration timeout;
  private Integer priority;

  private Task(String name, String type, ObjectNode body) {
    this.name = name;
    this.executor = JsonNodeFactory.instance.objectNode();
    this.executor.set(type, body);
  }

  /** A {@code java: {handler: ...}} task, run by a {@link KairosWorker} that registered it. */
  public static Task java(String name, String handler) {
    return new Task(name, "java", JsonNodeFactory.instance.objectNode().put("handler", handler));
  }

  /** A shell command ({@code /bin/sh -c}); data reaches it through {@code env}, never the line. */
  public static Task shell(String name, String command, Map<String, String> env) {
    ObjectNode body = JsonNodeFactory.instance.objectNode().put("command", command);
    if (!env.isEmpty()) {
      ObjectNode e = body.putObject("env");
      env.forEach(e::put);
    }
    return new Task(name, "shell", body);
  }

  public static Task shell(String name, String command) {
    return shell(name, command, Map.of());
  }

  /** Does nothing: a join point. */
  public static Task empty(String name) {
    return new Task(name, "empty", JsonNodeFactory.instance.objectNode());
  }

  public String name() {
    return name;
  }

  /** The given tasks run after this one. */
  public Then then(Task... next) {
    return new Then(List.of(this)).then(next);
  }

  /** allSuccess (default), allDone, allFailed, oneSuccess, oneFailed or noneFailed. */
  public Task triggerRule(String rule) {
    this.triggerRule = rule;
    return this;
  }

  public Task retries(int maxRetries, Duration initialInterval) {
    this.maxRetries = maxRetries;
    this.initialInterval = initialInterval;
    return this;
  }

  public Task timeout(Duration timeout) {
    this.timeout = timeout;
    return this;
  }

  public Task priority(int priority) {
    this.priority = priority;
    return this;
  }

  /** Tasks that the last ones of a chain were; {@link #then} continues after all of them. */
  public static final class Then {
    private final List<Task> last;

    private Then(List<Task> last) {
      this.last = last;
    }

    public Then then(Task... next) {
      for (Task t : next) {
        last.forEach(before -> t.dependsOn.add(before.name));
      }
      return new Then(Arrays.asList(next));
    }
  }

  ObjectNode toJson() {
    ObjectNode t = JsonNodeFactory.instance.objectNode().put("name", name);
    if (!dependsOn.isEmpty()) {
      new ArrayList<>(dependsOn).forEach(t.putArray("dependsOn")::add);
    }
    if (triggerRule != null) {
      t.put("triggerRule", triggerRule);
    }
    t.setAll(executor);
    if (maxRetries != null) {
      t.putObject("retryPolicy")
          .put("maxRetries", maxRetries)
          .put("initialInterval", initialInterval.toMillis() + "ms");
    }
    if (timeout != null) {
      t.put("timeout", timeout.toMillis() + "ms");
    }
    if (priority != null) {
      t.put("priority", priority);
    }
    return t;
  }
}
