package dev.kairos.core.spec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Graph checks on a job's tasks. */
final class Dag {
  private Dag() {}

  /**
   * A cycle among {@code tasks}, as the names along it from upstream to downstream with the first
   * repeated at the end (e.g. {@code [a, b, c, a]}: b depends on a, c on b, a on c), or an empty
   * list when there is none. Dependencies on names that are not tasks are ignored. Deterministic:
   * the search starts from the tasks in the order given.
   */
  static List<String> cycle(List<TaskSpec> tasks) {
    Map<String, TaskSpec> byName = new HashMap<>();
    tasks.forEach(t -> byName.putIfAbsent(t.name(), t));
    Map<String, Integer> color = new HashMap<>(); // absent = unvisited, 1 = on the path, 2 = done
    List<String> path = new ArrayList<>();
    for (TaskSpec t : tasks) {
      List<String> found = visit(t.name(), byName, color, path);
      if (!found.isEmpty()) {
        return found;
      }
    }
    return List.of();
  }

  /** Depth-first along dependsOn (downstream to upstream); returns a cycle once one closes. */
  private static List<String> visit(
      String name, Map<String, TaskSpec> byName, Map<String, Integer> color, List<String> path) {
    Integer c = color.get(name);
    if (c != null && c == 2) {
      return List.of();
    }
    if (c != null) {
      // back on the path: the cycle is the path from the first visit, read upstream first
      List<String> cycle = new ArrayList<>(path.subList(path.indexOf(name), path.size()));
      cycle.add(name);
      return cycle.reversed();
    }
    color.put(name, 1);
    path.add(name);
    for (String upstream : byName.get(name).dependsOn()) {
      if (byName.containsKey(upstream)) {
        List<String> found = visit(upstream, byName, color, path);
        if (!found.isEmpty()) {
          return found;
        }
      }
    }
    path.remove(path.size() - 1);
    color.put(name, 2);
    return List.of();
  }
}
