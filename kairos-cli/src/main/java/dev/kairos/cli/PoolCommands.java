package dev.kairos.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kairos.cli.client.ClientOptions;
import dev.kairos.cli.output.Format;
import dev.kairos.cli.output.Table;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Commands on pools and workers: pools, workers, pool NAME --max-running/--priority-aging. */
final class PoolCommands {
  private PoolCommands() {}

  @Command(
      name = "pools",
      mixinStandardHelpOptions = true,
      description =
          "Pools with their live workers, capacity, use and backlog (due attempts not claimed),"
              + " per cluster.")
  static final class Pools implements Callable<Integer> {
    @Mixin ClientOptions opts;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      JsonNode pools = opts.client().listPools();
      PrintWriter out = spec.commandLine().getOut();
      if (opts.printData(pools, out)) {
        return 0;
      }
      Table t =
          new Table(
              "POOL",
              "CLUSTER",
              "WORKERS",
              "CPU",
              "MEMORY",
              "SLOTS",
              "RUNNING",
              "BACKLOG",
              "OLDEST WAIT",
              "LIMIT",
              "AGING",
              "ORDER");
      for (JsonNode p : pools.get("items")) {
        row(t, p.get("pool").asText(), "(all)", p.get("total"), p);
        for (JsonNode c : p.get("clusters")) {
          row(t, "", c.get("cluster").asText(), c.get("usage"), null);
        }
        if (p.get("backlogAnyCluster").asLong() > 0 && p.get("clusters").size() > 0) {
          t.row(
              "", "(any)", "", "", "", "", "", p.get("backlogAnyCluster").asText(), "", "", "", "");
        }
      }
      t.print(out);
      return 0;
    }

    private static void row(Table t, String pool, String cluster, JsonNode u, JsonNode p) {
      t.row(
          pool,
          cluster,
          u.get("liveWorkers").asText(),
          u.get("usedCpu").asText() + "/" + u.get("cpu").asText(),
          u.get("usedMemory").asText() + "/" + u.get("memory").asText(),
          u.get("slots").asText(),
          u.get("running").asText(),
          u.get("backlog").asText(),
          u.get("oldestWaitSeconds").isNull() ? "-" : u.get("oldestWaitSeconds").asText() + "s",
          p == null ? "" : Format.text(p.get("maxRunning")),
          p == null ? "" : p.get("priorityAging").asText(),
          p == null ? "" : order(p));
    }
  }

  /** {@code fifo}, or {@code shortest-predicted-first (window 1m)}. */
  static String order(JsonNode pool) {
    JsonNode window = pool.get("orderWindow");
    return pool.get("order").asText()
        + (window == null || window.isNull() ? "" : " (window " + window.asText() + ")");
  }

  @Command(
      name = "workers",
      mixinStandardHelpOptions = true,
      description = "Live workers: pool, cluster, labels, capacity and what their attempts use.")
  static final class Workers implements Callable<Integer> {
    @Mixin ClientOptions opts;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      JsonNode workers = opts.client().listWorkers();
      PrintWriter out = spec.commandLine().getOut();
      if (opts.printData(workers, out)) {
        return 0;
      }
      Instant now = Instant.now();
      Table t =
          new Table("WORKER", "POOL", "CLUSTER", "LABELS", "CPU", "MEMORY", "RUNNING", "SEEN");
      for (JsonNode w : workers.get("items")) {
        StringBuilder labels = new StringBuilder();
        w.get("labels")
            .fields()
            .forEachRemaining(e ->
                labels
                    .append(labels.isEmpty() ? "" : ",")
                    .append(e.getKey())
                    .append('=')
                    .append(e.getValue().asText()));
        t.row(
            w.get("workerId").asText(),
            w.get("pool").asText(),
            w.get("cluster").asText(),
            labels.isEmpty() ? "-" : labels.toString(),
            w.get("usedCpu").asText() + "/" + w.get("cpu").asText(),
            w.get("usedMemory").asText() + "/" + w.get("memory").asText(),
            w.get("running").asText() + "/" + w.get("slots").asText(),
            Format.age(w.get("lastSeenAt"), now));
      }
      t.print(out);
      return 0;
    }
  }

  @Command(
      name = "pool",
      mixinStandardHelpOptions = true,
      description =
          "Set a pool's settings: at most --max-running of its attempts at once, and how fast a"
              + " waiting attempt's priority grows (--priority-aging), and the order of attempts of"
              + " the same priority (--order). Settings left out return to their defaults.")
  static final class Configure implements Callable<Integer> {
    @Mixin ClientOptions opts;
    @Spec CommandSpec spec;

    @Parameters(index = "0", description = "POOL")
    String pool;

    @Option(
        names = "--max-running",
        description = "At most this many of the pool's attempts run at once (default: no limit).")
    Integer maxRunning;

    @Option(
        names = "--priority-aging",
        description =
            "A waiting attempt gains one priority point per this long (e.g. 1s, 500ms; 0s ="
                + " strict priority; default 1s).")
    String priorityAging;

    @Option(
        names = "--order",
        description =
            "How attempts of the same priority are ordered: fifo (the one due first goes first;"
                + " default) or shortest-predicted-first (the one predicted to take least time"
                + " goes first; see docs/placement.md).")
    String order;

    @Option(
        names = "--order-window",
        description =
            "With shortest-predicted-first: the most an attempt is held back behind shorter"
                + " ones (e.g. 10m; at most --priority-aging unless that is 0s; default 1m,"
                + " capped just under the aging).")
    String orderWindow;

    @Override
    public Integer call() {
      ObjectNode body = JsonNodeFactory.instance.objectNode();
      if (maxRunning != null) {
        body.put("maxRunning", maxRunning);
      }
      if (priorityAging != null) {
        body.put("priorityAging", priorityAging);
      }
      if (order != null) {
        body.put("order", order);
      }
      if (orderWindow != null) {
        body.put("orderWindow", orderWindow);
      }
      JsonNode r = opts.client().configurePool(pool, body);
      PrintWriter out = spec.commandLine().getOut();
      if (!opts.printData(r, out)) {
        out.printf(
            "pool %s: maxRunning %s, priorityAging %s, order %s%n",
            r.get("pool").asText(),
            r.get("maxRunning").isNull() ? "none" : r.get("maxRunning").asText(),
            r.get("priorityAging").asText(),
            order(r));
        out.flush();
      }
      return 0;
    }
  }
}
