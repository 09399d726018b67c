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
    for (TaskSpec start : tasks) {
      if (color.containsKey(start.name())) {
        continue;
      }
      // depth-first along dependsOn (downstream to upstream), with an explicit stack: a DAG may
      // be a chain of thousands of tasks
      List<String> path = new ArrayList<>();
      List<Integer> next = new ArrayList<>(); // per path entry: the dependency to look at next
      path.add(start.name());
      next.add(0);
      color.put(start.name(), 1);
      while (!path.isEmpty()) {
        int top = path.size() - 1;
        List<String> upstream = byName.get(path.get(top)).dependsOn();
        int i = next.get(top);
        if (i == upstream.size()) {
          color.put(path.remove(top), 2);
          next.remove(top);
          continue;
        }
        next.set(top, i + 1);
        String up = upstream.get(i);
        if (!byName.containsKey(up) || Integer.valueOf(2).equals(color.get(up))) {
          continue;
        }
        if (color.containsKey(up)) {
          // back on the path: the cycle is the path from there, read upstream first
          List<String> cycle = new ArrayList<>(path.subList(path.indexOf(up), path.size()));
          cycle.add(up);
          return cycle.reversed();
        }
        color.put(up, 1);
        path.add(up);
        next.add(0);
      }
    }
    return List.of();
  }
}
