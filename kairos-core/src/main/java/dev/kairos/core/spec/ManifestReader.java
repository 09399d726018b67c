package dev.kairos.core.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kairos.core.cron.CronException;
import dev.kairos.core.cron.CronSchedule;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads and validates a Job manifest tree; every problem is collected with its path. */
final class ManifestReader {
  static final Set<String> TOP = ordered("apiVersion", "kind", "metadata", "spec");
  static final Set<String> METADATA = ordered("name", "namespace", "labels");
  static final Set<String> SPEC =
      ordered(
          "schedule",
          "timeZone",
          "suspend",
          "concurrencyPolicy",
          "startingDeadlineSeconds",
          "catchup",
          "maxActiveRuns",
          "retryPolicy",
          "timeout",
          "priority",
          "resources",
          "placement",
          "triggers",
          "alerts",
          "deadline",
          "sizeParam",
          "history",
          "task",
          "tasks");
  static final Set<String> TASK =
      ordered(
          "shell",
          "empty",
          "java",
          "http",
          "emits",
          "retryPolicy",
          "timeout",
          "priority",
          "resources");

  /** A task of a {@code tasks:} list: a task with its name and place in the DAG. */
  static final Set<String> DAG_TASK =
      ordered(
          "name",
          "dependsOn",
          "triggerRule",
          "shell",
          "empty",
          "java",
          "http",
          "retryPolicy",
          "timeout",
          "priority",
          "resources");

  /** Task names: they name environment variables of downstream tasks (KAIROS_IN_<TASK>_<KEY>). */
  private static final Pattern TASK_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,62}");

  static final Set<String> EXECUTORS = ordered("shell", "empty", "java", "http");
  static final Set<String> JAVA = ordered("handler");
  static final Set<String> SHELL = ordered("command", "args", "env", "workingDir");

  /** Why a variable's value with a NUL byte is refused (the value is never shown). */
  static final String NUL_IN_VARIABLE =
      "holds a NUL byte (\\u0000), which no environment variable can hold";

  static final Set<String> RETRY =
      ordered(
          "maxRetries", "initialInterval", "maxInterval", "backoffMultiplier", "jitter", "maxLost");
  static final Set<String> RESOURCES = ordered("requests", "limits");
  static final Set<String> QUANTITIES = ordered("cpu", "memory");
  static final Set<String> LIMITS = ordered("cpu", "memory", "pids");
  static final Set<String> PLACEMENT = ordered("pool", "clusters", "strict", "labels");
  static final Set<String> CLUSTER = ordered("name", "weight");
  static final Set<String> HISTORY = ordered("successfulRuns", "failedRuns");

  static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Pattern PARAM_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");

  private final NodeReader r;

  /** A reader of a manifest a user gives: every field is checked, ranges included. */
  ManifestReader() {
    this(new NodeReader(true));
  }

  ManifestReader(NodeReader reader) {
    this.r = reader;
  }

  static Set<String> ordered(String... names) {
    return new LinkedHashSet<>(Arrays.asList(names));
  }

  /** The policies a task inherits from its job unless it sets its own. */
  record Defaults(RetryPolicy retryPolicy, Duration timeout, int priority, Resources resources) {
    static final Defaults NONE = new Defaults(RetryPolicy.NONE, null, 0, Resources.NONE);
  }

  JobManifest read(JsonNode root) {
    if (!r.object(root, "", TOP)) {
      throw new ValidationException(r.errors());
    }
    expect(root, "apiVersion", JobManifest.API_VERSION);
    expect(root, "kind", JobManifest.KIND);
    JsonNode meta = root.get("metadata");
    String name = null;
    String namespace = "default";
    Map<String, String> labels = Map.of();
    if (r.object(meta, "metadata", METADATA)) {
      name = dnsLabel(r.string(meta, "name", "metadata", true), "metadata.name");
      String ns = dnsLabel(r.string(meta, "namespace", "metadata", false), "metadata.namespace");
      namespace = ns == null ? "default" : ns;
      labels = r.stringMap(meta, "labels", "metadata");
    }
    JobSpec spec = spec(root.get("spec"));
    if (!r.errors().isEmpty()) {
      throw new ValidationException(r.errors());
    }
    return new JobManifest(namespace, name, labels, spec);
  }

  private void expect(JsonNode root, String field, String value) {
    String v = r.string(root, field, "", true);
    if (v != null && !v.equals(value)) {
      r.error(field, v, "must be " + value);
    }
  }

  private String dnsLabel(String value, String path) {
    String problem = value == null ? null : Names.checkDnsLabel(value);
    if (problem != null) {
      r.error(path, value, problem);
      return null;
    }
    return value;
  }

  private JobSpec spec(JsonNode spec) {
    if (!r.object(spec, "spec", SPEC)) {
      return null;
    }
    String schedule = r.string(spec, "schedule", "spec", false);
    if (schedule != null) {
      try {
        CronSchedule.parse(schedule);
      } catch (CronException e) {
        r.error("spec.schedule", schedule, e.getMessage());
      }
    }
    ZoneId zone = ZoneId.of("UTC");
    String zoneText = r.string(spec, "timeZone", "spec", false);
    if (zoneText != null) {
      try {
        zone = ZoneId.of(zoneText);
      } catch (DateTimeException e) {
        r.error(
            "spec.timeZone", zoneText, "unknown time zone; use an IANA name such as Europe/Berlin");
      }
    }
    ConcurrencyPolicy policy = policy(spec);
    Long deadline =
        r.longValue(
            spec, "startingDeadlineSeconds", "spec", 1, Bounds.STARTING_DEADLINE_SECONDS_MAX);
    Placement placement = placement(spec.get("placement"));
    Integer maxActiveRuns = r.integer(spec, "maxActiveRuns", "spec", 1, Bounds.ACTIVE_RUNS_MAX);
    Defaults defaults = policies(spec, "spec", Defaults.NONE);
    List<TaskSpec> tasks = tasks(spec, defaults);
    return new JobSpec(
        schedule,
        zone,
        Boolean.TRUE.equals(r.bool(spec, "suspend", "spec")),
        policy,
        deadline,
        Boolean.TRUE.equals(r.bool(spec, "catchup", "spec")),
        placement,
        maxActiveRuns,
        tasks,
        new AlertsReader(r).read(spec.get("alerts")),
        new TriggersReader(r).read(spec.get("triggers")),
        deadline(spec),
        sizeParam(spec),
        history(spec.get("history")));
  }

  /** {@code spec.history}: runs kept per kind, each 0 to {@link Bounds#HISTORY_MAX}. */
  private History history(JsonNode node) {
    String path = "spec.history";
    if (node == null || node.isNull() || !r.object(node, path, HISTORY)) {
      return History.DEFAULT;
    }
    Integer successful = r.integer(node, "successfulRuns", path, 0, Bounds.HISTORY_MAX);
    Integer failed = r.integer(node, "failedRuns", path, 0, Bounds.HISTORY_MAX);
    return new History(
        successful == null ? History.DEFAULT_SUCCESSFUL_RUNS : successful,
        failed == null ? History.DEFAULT_FAILED_RUNS : failed);
  }

  private String sizeParam(JsonNode spec) {
    String name = r.string(spec, "sizeParam", "spec", false);
    if (name != null
        && (name.length() > JobSpec.MAX_SIZE_PARAM || !PARAM_NAME.matcher(name).matches())) {
      r.error(
          "spec.sizeParam",
          name,
          "must be the name of a field of the starting event's data: a letter or _, then letters,"
              + " digits, _ . or -, at most "
              + JobSpec.MAX_SIZE_PARAM
              + " characters");
      return null;
    }
    return name;
  }

  private Deadline deadline(JsonNode spec) {
    String text = r.string(spec, "deadline", "spec", false);
    if (text == null) {
      return null;
    }
    try {
      return Deadline.parse(text);
    } catch (IllegalArgumentException e) {
      r.error(
          "spec.deadline",
          text,
          e.getMessage()
              + "; give a time of day in the job's zone (06:00) or a duration after the"
              + " fire (2h)");
      return null;
    }
  }

  private Placement placement(JsonNode node) {
    String path = "spec.placement";
    if (node == null || !r.object(node, path, PLACEMENT)) {
      return Placement.DEFAULT;
    }
    String pool = dnsLabel(r.string(node, "pool", path, false), path + ".pool");
    List<Placement.ClusterWeight> clusters = new ArrayList<>();
    JsonNode list = node.get("clusters");
    if (list != null && !list.isNull()) {
      if (!list.isArray() || list.isEmpty()) {
        r.error(
            path + ".clusters",
            list,
            "must be a list of {name, weight}, e.g. [{name: east, weight: 60}]");
      } else {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
          String p = path + ".clusters[" + i + "]";
          JsonNode c = list.get(i);
          if (!r.object(c, p, CLUSTER)) {
            continue;
          }
          String name = dnsLabel(r.string(c, "name", p, true), p + ".name");
          Integer weight = r.integer(c, "weight", p, 1, Bounds.WEIGHT_MAX);
          if (name != null && !seen.add(name)) {
            r.error(p + ".name", name, "is listed twice; give each cluster once");
          } else if (name != null) {
            clusters.add(new Placement.ClusterWeight(name, weight == null ? 1 : weight));
          }
        }
      }
    }
    boolean strict = Boolean.TRUE.equals(r.bool(node, "strict", path));
    if (strict && (list == null || list.isNull())) {
      r.error(
          path + ".strict",
          "true",
          "needs placement.clusters: strict keeps each run in the cluster chosen for it");
    }
    Map<String, String> labels = r.stringMap(node, "labels", path);
    labels.forEach((k, v) -> {
      String problem = Labels.checkKey(k);
      if (problem == null) {
        problem = Labels.checkValue(v);
      }
      if (problem != null) {
        r.error(NodeReader.path(path + ".labels", k), v, problem);
      }
    });
    return new Placement(pool == null ? "default" : pool, clusters, strict, labels);
  }

  /** The DAG: {@code task:} (one task named main) or {@code tasks:}, checked as a whole. */
  private List<TaskSpec> tasks(JsonNode spec, Defaults defaults) {
    JsonNode one = spec.get("task");
    JsonNode many = spec.get("tasks");
    if (one != null && many != null) {
      r.error(
          "spec.tasks",
          (String) null,
          "cannot be given with spec.task: use task: for a single task or tasks: for a DAG");
      return List.of();
    }
    if (one == null && many == null) {
      r.error(
          "spec.task",
          (String) null,
          "is required: the task to run, e.g. task: {shell: {command: ...}}, or a DAG as tasks:"
              + " [{name: ..., dependsOn: [...], shell: {...}}, ...]");
      return List.of();
    }
    if (one != null) {
      TaskSpec task = task(one, "spec.task", "main", defaults);
      return task == null ? List.of() : List.of(task);
    }
    if (!many.isArray()) {
      r.error("spec.tasks", many, "must be a list of tasks, e.g. [{name: a, shell: {...}}]");
      return List.of();
    }
    if (many.isEmpty()) {
      r.error(
          "spec.tasks", (String) null, "must list at least one task: an empty DAG runs nothing");
      return List.of();
    }
    List<TaskSpec> tasks = new ArrayList<>();
    List<String> paths = new ArrayList<>();
    Map<String, String> pathByName = new HashMap<>();
    Map<String, String> pathByEnvName = new HashMap<>();
    for (int i = 0; i < many.size(); i++) {
      String path = "spec.tasks[" + i + "]";
      JsonNode node = many.get(i);
      if (!r.object(node, path, DAG_TASK)) {
        continue;
      }
      String name = taskName(node, path, pathByName, pathByEnvName);
      List<String> upstream = r.stringList(node, "dependsOn", path);
      TriggerRule rule = triggerRule(node, path);
      // the task proper, without its place in the DAG (and without unknown fields, reported above)
      ObjectNode body = node.deepCopy();
      body.retain(TASK);
      TaskSpec task = task(body, path, name, defaults);
      if (task != null && name != null) {
        tasks.add(task.withDependencies(upstream, rule));
        paths.add(path);
      }
    }
    checkDependencies(tasks, paths, pathByName);
    return tasks;
  }

  private String taskName(
      JsonNode node, String path, Map<String, String> pathByName, Map<String, String> byEnv) {
    String name = r.string(node, "name", path, true);
    if (name == null) {
      return null;
    }
    String namePath = path + ".name";
    if (!TASK_NAME.matcher(name).matches()) {
      r.error(
          namePath,
          name,
          "must start with a letter and have only letters, digits, _ and - (at most 63)");
      return null;
    }
    String seen = pathByName.putIfAbsent(name, path);
    if (seen != null) {
      r.error(namePath, name, "is already the name of " + seen + ": task names must be unique");
      return null;
    }
    // outputs reach downstream tasks as KAIROS_IN_<TASK>_<KEY>: two names must not share one
    String env = name.toUpperCase(java.util.Locale.ROOT).replace('-', '_');
    String clash = byEnv.putIfAbsent(env, path);
    if (clash != null) {
      r.error(
          namePath,
          name,
          "reads as the same environment variable prefix (KAIROS_IN_"
              + env
              + "_) as the name of "
              + clash
              + "; rename one");
      return null;
    }
    return name;
  }

  private TriggerRule triggerRule(JsonNode node, String path) {
    String text = r.string(node, "triggerRule", path, false);
    if (text == null) {
      return TriggerRule.ALL_SUCCESS;
    }
    TriggerRule rule = TriggerRule.parse(text);
    if (rule == null) {
      String suggestion = Spelling.closest(text, TriggerRule.spellings());
      r.error(
          path + ".triggerRule",
          text,
          "unknown trigger rule"
              + (suggestion == null ? "" : " (did you mean " + suggestion + "?)")
              + "; one of "
              + String.join(", ", TriggerRule.spellings()));
      return TriggerRule.ALL_SUCCESS;
    }
    return rule;
  }

  /** Every dependency names another task of the job, once, and they form no cycle. */
  private void checkDependencies(
      List<TaskSpec> tasks, List<String> paths, Map<String, String> pathByName) {
    boolean known = true;
    for (int i = 0; i < tasks.size(); i++) {
      TaskSpec task = tasks.get(i);
      Set<String> seen = new HashSet<>();
      for (int k = 0; k < task.dependsOn().size(); k++) {
        String upstream = task.dependsOn().get(k);
        String path = paths.get(i) + ".dependsOn[" + k + "]";
        if (!seen.add(upstream)) {
          r.error(path, upstream, "is listed twice in dependsOn");
        } else if (!pathByName.containsKey(upstream)) {
          known = false;
          String suggestion = Spelling.closest(upstream, pathByName.keySet());
          r.error(
              path,
              upstream,
              "is not a task of this job"
                  + (suggestion == null ? "" : " (did you mean " + suggestion + "?)")
                  + "; tasks: "
                  + String.join(", ", tasks.stream().map(TaskSpec::name).toList()));
        }
      }
    }
    List<String> cycle = known ? Dag.cycle(tasks) : List.of();
    if (!cycle.isEmpty()) {
      r.error(
          "spec.tasks",
          (String) null,
          "the dependencies form a cycle: "
              + String.join(" -> ", cycle)
              + " (each task runs after the one before it); a DAG cannot have one");
    }
  }

  private ConcurrencyPolicy policy(JsonNode spec) {
    String text = r.string(spec, "concurrencyPolicy", "spec", false);
    if (text == null) {
      return ConcurrencyPolicy.Allow;
    }
    for (ConcurrencyPolicy p : ConcurrencyPolicy.values()) {
      if (p.name().equals(text)) {
        return p;
      }
    }
    r.error("spec.concurrencyPolicy", text, "must be one of Allow, Forbid, Replace");
    return ConcurrencyPolicy.Allow;
  }

  /** Reads retryPolicy, timeout, priority and resources at {@code path}, over {@code base}. */
  Defaults policies(JsonNode node, String path, Defaults base) {
    RetryPolicy retry = base.retryPolicy();
    if (node.get("retryPolicy") != null) {
      retry = retryPolicy(node.get("retryPolicy"), NodeReader.path(path, "retryPolicy"));
    }
    Duration timeout = node.has("timeout") ? r.duration(node, "timeout", path) : base.timeout();
    Integer priority = r.integer(node, "priority", path, -Bounds.PRIORITY_MAX, Bounds.PRIORITY_MAX);
    Resources resources = base.resources();
    if (node.get("resources") != null) {
      resources = resources(node.get("resources"), NodeReader.path(path, "resources"));
    }
    return new Defaults(retry, timeout, priority == null ? base.priority() : priority, resources);
  }

  TaskSpec task(JsonNode node, String path, String name, Defaults defaults) {
    if (!r.object(node, path, TASK)) {
      return null;
    }
    List<String> executors = EXECUTORS.stream().filter(node::has).toList();
    ExecutorSpec executor = null;
    if (executors.size() != 1) {
      r.error(
          path,
          (String) null,
          executors.isEmpty()
              ? "needs an executor: one of " + String.join(", ", EXECUTORS)
              : "has several executors (" + String.join(", ", executors) + "); give exactly one");
    } else if (executors.get(0).equals("shell")) {
      executor = shell(node.get("shell"), NodeReader.path(path, "shell"));
    } else if (executors.get(0).equals("java")) {
      executor = java(node.get("java"), NodeReader.path(path, "java"));
    } else if (executors.get(0).equals("http")) {
      executor = new HttpReader(r).read(node.get("http"), NodeReader.path(path, "http"));
    } else {
      if (r.object(node.get("empty"), NodeReader.path(path, "empty"), Set.of())) {
        executor = new EmptySpec();
      }
    }
    Defaults own = policies(node, path, defaults);
    List<String> emits = r.stringList(node, "emits", path);
    for (String type : emits) {
      if (!TriggersReader.TYPE.matcher(type).matches()) {
        r.error(
            NodeReader.path(path, "emits"),
            type,
            "an event type is 1 to 200 letters, digits or . _ : / - (starting with a letter or"
                + " digit)");
      }
    }
    if (executor == null) {
      return null;
    }
    return new TaskSpec(
        name,
        List.of(),
        executor,
        own.retryPolicy(),
        own.timeout(),
        own.priority(),
        own.resources(),
        TriggerRule.ALL_SUCCESS,
        emits);
  }

  private JavaSpec java(JsonNode node, String path) {
    if (!r.object(node, path, JAVA)) {
      return null;
    }
    String handler = r.string(node, "handler", path, true);
    if (handler != null && !JavaSpec.HANDLER.matcher(handler).matches()) {
      r.error(
          NodeReader.path(path, "handler"),
          handler,
          "must start with a letter and have only letters, digits, '.', '_' and '-' (at most 128)");
      return null;
    }
    return handler == null ? null : new JavaSpec(handler);
  }

  private ShellSpec shell(JsonNode node, String path) {
    if (!r.object(node, path, SHELL)) {
      return null;
    }
    String command = r.string(node, "command", path, true);
    if (command != null && command.isBlank()) {
      r.error(NodeReader.path(path, "command"), command, "must not be blank");
    }
    Map<String, String> env = new LinkedHashMap<>();
    Map<String, SecretEnv> secrets = new LinkedHashMap<>();
    env(node.get("env"), NodeReader.path(path, "env"), env, secrets);
    List<String> args = r.stringList(node, "args", path);
    String workingDir = r.string(node, "workingDir", path, false);
    return command == null ? null : new ShellSpec(command, args, env, workingDir, secrets);
  }

  /**
   * {@code env}: a map of names to strings, or to objects for secrets ({@link SecretEnv}). Errors
   * about a secret never show its value.
   */
  private void env(
      JsonNode node, String path, Map<String, String> env, Map<String, SecretEnv> secrets) {
    if (node == null || node.isNull()) {
      return;
    }
    if (!node.isObject()) {
      r.error(path, node, "must be a map of names to strings or to {secret: true, value: ...}");
      return;
    }
    SecretReader reader = new SecretReader(r);
    node.fields()
        .forEachRemaining(e -> {
          String key = e.getKey();
          String keyPath = NodeReader.path(path, key);
          if (!ENV_NAME.matcher(key).matches()) {
            r.error(
                keyPath, key, "is not a valid environment variable name ([A-Za-z_][A-Za-z0-9_]*)");
          } else if (key.startsWith("KAIROS_")) {
            r.error(
                keyPath,
                key,
                "names starting with KAIROS_ are reserved for the variables Kairos sets");
          }
          JsonNode v = e.getValue();
          if (v.isObject()) {
            SecretEnv secret = reader.read(v, keyPath, SecretReader.Target.VARIABLE);
            if (secret != null) {
              secrets.put(key, secret);
            }
          } else if (v.isArray() || v.isNull()) {
            r.error(keyPath, v, "must be a string, or {secret: true, value: ...} for a secret");
          } else if (v.asText().indexOf('\0') >= 0) {
            r.error(keyPath, "<hidden>", NUL_IN_VARIABLE);
          } else {
            env.put(key, v.asText());
          }
        });
  }

  private RetryPolicy retryPolicy(JsonNode node, String path) {
    RetryPolicy d = RetryPolicy.NONE;
    if (!r.object(node, path, RETRY)) {
      return d;
    }
    Integer max = r.integer(node, "maxRetries", path, 0, Bounds.RETRIES_MAX);
    Duration initial = r.duration(node, "initialInterval", path);
    Duration maxInterval = r.duration(node, "maxInterval", path);
    Double multiplier =
        r.number(node, "backoffMultiplier", path, 1.0, Bounds.BACKOFF_MULTIPLIER_MAX);
    Double jitter = r.number(node, "jitter", path, 0.0, 1.0);
    Integer maxLost = r.integer(node, "maxLost", path, 0, Bounds.RETRIES_MAX);
    RetryPolicy p =
        new RetryPolicy(
            max == null ? d.maxRetries() : max,
            initial == null ? d.initialInterval() : initial,
            maxInterval == null ? d.maxInterval() : maxInterval,
            multiplier == null ? d.backoffMultiplier() : multiplier,
            jitter == null ? d.jitter() : jitter,
            maxLost == null ? d.maxLost() : maxLost);
    if (p.maxInterval().compareTo(p.initialInterval()) < 0) {
      r.error(
          path + ".maxInterval",
          Durations.format(p.maxInterval()),
          "must be at least initialInterval (" + Durations.format(p.initialInterval()) + ")");
    }
    return p;
  }

  private Resources resources(JsonNode node, String path) {
    if (!r.object(node, path, RESOURCES)) {
      return Resources.NONE;
    }
    Map<String, String> requests = quantities(node, "requests", path, QUANTITIES);
    Map<String, String> limits = quantities(node, "limits", path, LIMITS);
    for (String key : QUANTITIES) {
      String request = requests.get(key);
      String limit = limits.get(key);
      if (request != null
          && limit != null
          && r.errors().stream().noneMatch(e -> e.path().startsWith(path + "."))
          && amount(key, request) > amount(key, limit)) {
        r.error(
            path + ".requests." + key,
            request,
            "must not exceed limits."
                + key
                + " ("
                + limit
                + "): an attempt may not be reserved"
                + " more than it may use");
      }
    }
    return new Resources(requests, limits);
  }

  private static long amount(String key, String quantity) {
    return key.equals("cpu") ? Quantities.millicores(quantity) : Quantities.bytes(quantity);
  }

  private Map<String, String> quantities(
      JsonNode node, String field, String path, Set<String> known) {
    String p = NodeReader.path(path, field);
    if (node.get(field) == null) {
      return Map.of();
    }
    if (!r.object(node.get(field), p, known)) {
      return Map.of();
    }
    Map<String, String> map = r.stringMap(node, field, path);
    map.keySet().retainAll(known);
    for (Map.Entry<String, String> e : map.entrySet()) {
      String problem =
          switch (e.getKey()) {
            case "cpu" -> Quantities.checkCpu(e.getValue(), r.bounded());
            case "pids" -> Quantities.checkPids(e.getValue(), r.bounded());
            default -> Quantities.checkMemory(e.getValue(), r.bounded());
          };
      if (problem != null) {
        r.error(NodeReader.path(p, e.getKey()), e.getValue(), problem);
      }
    }
    return map;
  }
}
