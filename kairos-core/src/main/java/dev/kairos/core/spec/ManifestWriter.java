package dev.kairos.core.spec;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kairos.core.alert.Alerts;
import dev.kairos.core.alert.Webhook;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes manifests and tasks as canonical JSON trees: fields in a fixed order, defaults left out,
 * durations in the short form. Reading the output back gives an equal record.
 */
final class ManifestWriter {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private ManifestWriter() {}

  static ObjectNode manifest(JobManifest m) {
    ObjectNode root = F.objectNode();
    root.put("apiVersion", JobManifest.API_VERSION);
    root.put("kind", JobManifest.KIND);
    ObjectNode meta = root.putObject("metadata");
    meta.put("name", m.name());
    meta.put("namespace", m.namespace());
    if (!m.labels().isEmpty()) {
      stringMap(meta.putObject("labels"), m.labels());
    }
    JobSpec s = m.spec();
    ObjectNode spec = root.putObject("spec");
    if (s.schedule() != null) {
      spec.put("schedule", s.schedule());
    }
    spec.put("timeZone", s.timeZone().getId());
    spec.put("suspend", s.suspend());
    spec.put("concurrencyPolicy", s.concurrencyPolicy().name());
    if (s.startingDeadlineSeconds() != null) {
      spec.put("startingDeadlineSeconds", s.startingDeadlineSeconds());
    }
    spec.put("catchup", s.catchup());
    if (s.maxActiveRuns() != null) {
      spec.put("maxActiveRuns", s.maxActiveRuns());
    }
    placement(spec, s.placement());
    alerts(spec, s.alerts());
    if (s.deadline() != null) {
      spec.put("deadline", s.deadline().toString());
    }
    if (s.sizeParam() != null) {
      spec.put("sizeParam", s.sizeParam());
    }
    if (!s.history().equals(History.DEFAULT)) {
      ObjectNode history = spec.putObject("history");
      history.put("successfulRuns", s.history().successfulRuns());
      history.put("failedRuns", s.history().failedRuns());
    }
    if (!s.triggers().isEmpty()) {
      ArrayNode triggers = spec.putArray("triggers");
      s.triggers()
          .forEach(t -> {
            ObjectNode event = triggers.addObject().putObject("event");
            event.put("type", t.type());
            if (t.filter() != null) {
              event.put("filter", t.filter().source());
            }
          });
    }
    TaskSpec task = s.tasks().get(0);
    if (s.tasks().size() == 1
        && task.name().equals("main")
        && task.dependsOn().isEmpty()
        && task.triggerRule() == TriggerRule.ALL_SUCCESS) {
      // one task: its effective policies are the job's, written at the spec level as users do
      policies(spec, task);
      ObjectNode t = spec.putObject("task");
      executor(t, task.executor());
      emits(t, task);
      return root;
    }
    // a DAG: each task with its own effective policies
    ArrayNode tasks = spec.putArray("tasks");
    s.tasks().forEach(t -> tasks.add(task(t)));
    return root;
  }

  private static void alerts(ObjectNode spec, Alerts a) {
    if (a.sla() == null && a.webhooks().isEmpty()) {
      return;
    }
    ObjectNode alerts = spec.putObject("alerts");
    if (a.sla() != null) {
      alerts.put("sla", Durations.format(a.sla()));
    }
    if (!a.webhooks().isEmpty()) {
      ArrayNode hooks = alerts.putArray("webhooks");
      for (Webhook w : a.webhooks()) {
        ObjectNode h = hooks.addObject();
        h.put("url", w.url().toString());
        h.put("format", w.format().name().toLowerCase(java.util.Locale.ROOT));
        ArrayNode on = h.putArray("on");
        w.on().forEach(k -> on.add(k.specName()));
      }
    }
  }

  private static void placement(ObjectNode spec, Placement p) {
    if (p.equals(Placement.DEFAULT)) {
      return;
    }
    ObjectNode node = spec.putObject("placement");
    if (!p.pool().equals("default")) {
      node.put("pool", p.pool());
    }
    if (!p.clusters().isEmpty()) {
      ArrayNode clusters = node.putArray("clusters");
      p.clusters()
          .forEach(c -> clusters.addObject().put("name", c.name()).put("weight", c.weight()));
    }
    if (p.strict()) {
      node.put("strict", true);
    }
    if (!p.labels().isEmpty()) {
      stringMap(node.putObject("labels"), p.labels());
    }
  }

  static ObjectNode task(TaskSpec task) {
    ObjectNode t = F.objectNode();
    t.put("name", task.name());
    if (!task.dependsOn().isEmpty()) {
      task.dependsOn().forEach(t.putArray("dependsOn")::add);
    }
    if (task.triggerRule() != TriggerRule.ALL_SUCCESS) {
      t.put("triggerRule", task.triggerRule().spelling());
    }
    executor(t, task.executor());
    emits(t, task);
    policies(t, task);
    return t;
  }

  private static void emits(ObjectNode node, TaskSpec task) {
    if (!task.emits().isEmpty()) {
      task.emits().forEach(node.putArray("emits")::add);
    }
  }

  private static void policies(ObjectNode node, TaskSpec task) {
    if (!task.retryPolicy().equals(RetryPolicy.NONE)) {
      RetryPolicy p = task.retryPolicy();
      ObjectNode rp = node.putObject("retryPolicy");
      rp.put("maxRetries", p.maxRetries());
      rp.put("initialInterval", Durations.format(p.initialInterval()));
      rp.put("maxInterval", Durations.format(p.maxInterval()));
      rp.put("backoffMultiplier", p.backoffMultiplier());
      rp.put("jitter", p.jitter());
      if (p.maxLost() != RetryPolicy.DEFAULT_MAX_LOST) {
        rp.put("maxLost", p.maxLost());
      }
    }
    if (task.timeout() != null) {
      node.put("timeout", Durations.format(task.timeout()));
    }
    if (task.priority() != 0) {
      node.put("priority", task.priority());
    }
    if (!task.resources().equals(Resources.NONE)) {
      ObjectNode res = node.putObject("resources");
      if (!task.resources().requests().isEmpty()) {
        stringMap(res.putObject("requests"), task.resources().requests());
      }
      if (!task.resources().limits().isEmpty()) {
        stringMap(res.putObject("limits"), task.resources().limits());
      }
    }
  }

  private static void executor(ObjectNode task, ExecutorSpec executor) {
    switch (executor) {
      case ShellSpec shell -> {
        ObjectNode sh = task.putObject("shell");
        sh.put("command", shell.command());
        if (!shell.args().isEmpty()) {
          shell.args().forEach(sh.putArray("args")::add);
        }
        if (!shell.env().isEmpty() || !shell.secretEnv().isEmpty()) {
          ObjectNode env = sh.putObject("env");
          stringMap(env, shell.env());
          secrets(env, shell.secretEnv());
        }
        if (shell.workingDir() != null) {
          sh.put("workingDir", shell.workingDir());
        }
      }
      case EmptySpec empty -> task.putObject("empty");
      case JavaSpec java -> task.putObject("java").put("handler", java.handler());
      case HttpSpec http -> {
        ObjectNode h = task.putObject("http");
        h.put("url", http.url());
        h.put("method", http.method());
        if (!http.headers().isEmpty() || !http.secretHeaders().isEmpty()) {
          ObjectNode headers = h.putObject("headers");
          stringMap(headers, http.headers());
          secrets(headers, http.secretHeaders());
        }
        if (http.body() != null) {
          h.put("body", http.body());
        }
        if (http.timeout() != null) {
          h.put("timeout", Durations.format(http.timeout()));
        }
        if (!http.expectedStatus().isEmpty()) {
          http.expectedStatus().forEach(h.putArray("expectedStatus")::add);
        }
        if (http.sign()) {
          h.put("sign", true);
        }
        if (http.maxResponseBytes() != HttpSpec.DEFAULT_MAX_RESPONSE_BYTES) {
          h.put("maxResponseBytes", http.maxResponseBytes());
        }
      }
    }
  }

  /** Each secret as the object it was given as ({@link SecretEnv}), after the plain values. */
  private static void secrets(ObjectNode node, Map<String, SecretEnv> secrets) {
    new TreeMap<>(secrets)
        .forEach((name, secret) -> {
          ObjectNode o = node.putObject(name);
          if (secret.value() != null) {
            o.put("secret", true).put("value", secret.value());
          } else if (secret.fromFile() != null) {
            o.put("fromFile", secret.fromFile());
          } else {
            o.put("fromEnv", secret.fromEnv());
          }
        });
  }

  private static void stringMap(ObjectNode node, Map<String, String> map) {
    map.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> node.put(e.getKey(), e.getValue()));
  }
}
