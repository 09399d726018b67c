package dev.kairos.core.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;

/** JSON form of an effective {@link TaskSpec}, as stored on attempts and sent to workers. */
public final class TaskSpecCodec {
  private static final ObjectMapper JSON = new ObjectMapper();

  private TaskSpecCodec() {}

  public static String toJson(TaskSpec task) {
    return ManifestWriter.task(task).toString();
  }

  public static TaskSpec fromJson(String json) {
    return fromTree(JobManifestCodec.tree(JSON, json, "JSON"));
  }

  public static TaskSpec fromTree(JsonNode node) {
    // a task spec is stored, or sent to a worker, after its job was accepted: read like a stored
    // manifest, without the ranges a user's input is checked against
    NodeReader fields = new NodeReader(false);
    ManifestReader reader = new ManifestReader(fields);
    String name = fields.string(node, "name", "task", true);
    List<String> dependsOn = fields.stringList(node, "dependsOn", "task");
    JsonNode body = node.deepCopy();
    ((com.fasterxml.jackson.databind.node.ObjectNode) body)
        .remove(List.of("name", "dependsOn", "triggerRule"));
    String ruleText = fields.string(node, "triggerRule", "task", false);
    TriggerRule rule = ruleText == null ? TriggerRule.ALL_SUCCESS : TriggerRule.parse(ruleText);
    if (rule == null) {
      fields.error("task.triggerRule", ruleText, "unknown trigger rule");
    }
    TaskSpec task = reader.task(body, "task", name, ManifestReader.Defaults.NONE);
    if (task == null || !fields.errors().isEmpty()) {
      throw new ValidationException(
          fields.errors().isEmpty()
              ? List.of(new FieldError("task", null, "invalid task"))
              : fields.errors());
    }
    return task.withDependencies(dependsOn, rule);
  }
}
