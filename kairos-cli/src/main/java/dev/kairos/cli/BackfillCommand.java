package dev.kairos.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kairos.bench.Progress;
import dev.kairos.cli.client.ApiClient;
import dev.kairos.cli.client.ClientOptions;
import dev.kairos.core.cron.CronSchedule;
import java.io.PrintWriter;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Runs every fire of a job's schedule in a range, at most N at a time, and waits for them. Each
 * fire time has one run at most (the server's unique key), so a repeated or interrupted backfill
 * runs only the fires that have no run yet.
 */
@Command(
    name = "backfill",
    mixinStandardHelpOptions = true,
    description = {
      "Run every fire of a job's schedule between two dates, at most --max-parallel at a time,"
          + " and wait for them. Fires that already have a run (run by the scheduler, missed,"
          + " skipped or backfilled before) are not run again: repeating a backfill is safe.",
      "Exit code 0 when every run in the range SUCCEEDED.",
      "Example: kairos backfill etl --from 2026-01-01 --to 2026-01-31 --max-parallel 4"
    })
final class BackfillCommand implements Callable<Integer> {
  /** More fires than this in one backfill is most likely a wrong range or schedule. */
  static final int MAX_FIRES = 100_000;

  @Mixin ClientOptions opts;
  @Spec CommandSpec spec;

  @Parameters(index = "0", description = "JOB (name or namespace/name); it must have a schedule")
  String job;

  @Option(
      names = "--from",
      required = true,
      description =
          "First day (YYYY-MM-DD, from its start) or time (YYYY-MM-DDTHH:MM[:SS]), in the job's"
              + " time zone, or an instant (2026-01-01T00:00:00Z).")
  String from;

  @Option(
      names = "--to",
      required = true,
      description = "Last day (to its end, inclusive) or time, as --from; not in the future.")
  String to;

  @Option(
      names = "--max-parallel",
      defaultValue = "4",
      description = "Runs of the backfill active at once, 1-1000 (default ${DEFAULT-VALUE}).")
  int maxParallel;

  @Override
  public Integer call() throws InterruptedException {
    if (maxParallel < 1 || maxParallel > 1000) {
      throw new ParameterException(
          spec.commandLine(), "--max-parallel: " + maxParallel + " is not between 1 and 1000");
    }
    String[] j = opts.job(job);
    ApiClient api = opts.client();
    JsonNode jobView = api.getJob(j[0], j[1]);
    if (jobView.get("schedule").isNull()) {
      throw new ParameterException(
          spec.commandLine(), j[0] + "/" + j[1] + " has no schedule: there is nothing to backfill");
    }
    ZoneId zone = ZoneId.of(jobView.get("timeZone").asText());
    Instant start = time(from, zone, false, "--from");
    Instant end = time(to, zone, true, "--to");
    if (end.isAfter(Instant.now())) {
      end = Instant.now();
    }
    if (end.isBefore(start)) {
      throw new ParameterException(spec.commandLine(), "--to is before --from");
    }
    List<Instant> fires = fires(jobView.get("schedule").asText(), zone, start, end);
    PrintWriter out = spec.commandLine().getOut();
    boolean table = opts.table();
    if (table) {
      out.printf(
          "backfill %s/%s: %,d fires of \"%s\" (%s) from %s to %s, at most %d at a time%n",
          j[0],
          j[1],
          fires.size(),
          jobView.get("schedule").asText(),
          zone,
          start,
          end,
          maxParallel);
      out.flush();
    }
    Map<Instant, JsonNode> runs = run(api, j, fires, out, table);
    return report(j, fires, runs, out, table);
  }

  /** Starts runs up to the limit, waits for them, starts more; returns the last view of each. */
  private Map<Instant, JsonNode> run(
      ApiClient api, String[] j, List<Instant> fires, PrintWriter out, boolean table)
      throws InterruptedException {
    Deque<Instant> waiting = new ArrayDeque<>(fires);
    Map<Instant, Long> active = new LinkedHashMap<>();
    Map<Instant, JsonNode> ended = new TreeMap<>();
    Progress progress = Progress.to(out);
    while (!waiting.isEmpty() || !active.isEmpty()) {
      while (!waiting.isEmpty() && active.size() < maxParallel) {
        Instant fire = waiting.poll();
        JsonNode run = api.runFire(j[0], j[1], fire);
        if (RunCommands.ACTIVE.contains(run.get("state").asText())) {
          active.put(fire, run.get("id").asLong());
        } else {
          ended.put(fire, run); // it had run before
        }
      }
      if (!active.isEmpty()) {
        Thread.sleep(500);
      }
      for (var it = active.entrySet().iterator(); it.hasNext(); ) {
        var e = it.next();
        JsonNode run = api.getRun(e.getValue());
        if (!RunCommands.ACTIVE.contains(run.get("state").asText())) {
          ended.put(e.getKey(), run);
          it.remove();
        }
      }
      if (table) {
        progress.show(
            String.format(
                "%,d / %,d ended (%s), %d running",
                ended.size(), fires.size(), counts(ended.values()), active.size()));
      }
    }
    progress.end();
    return ended;
  }

  private int report(
      String[] j,
      List<Instant> fires,
      Map<Instant, JsonNode> runs,
      PrintWriter out,
      boolean table) {
    boolean allSucceeded =
        runs.values().stream().allMatch(r -> r.get("state").asText().equals("SUCCEEDED"));
    if (table) {
      out.printf("backfill %s/%s: %s%n", j[0], j[1], counts(runs.values()));
      runs.forEach((fire, run) -> {
        if (!run.get("state").asText().equals("SUCCEEDED")) {
          out.printf(
              "  %s  run %s  %s%s%n",
              fire,
              run.get("id").asText(),
              run.get("state").asText(),
              run.get("reason").isNull() ? "" : ": " + run.get("reason").asText());
        }
      });
    } else {
      ObjectMapper json = new ObjectMapper();
      ObjectNode result = json.createObjectNode();
      result.put("namespace", j[0]).put("job", j[1]).put("fires", fires.size());
      ArrayNode items = result.putArray("runs");
      runs.forEach((fire, run) ->
          items
              .addObject()
              .put("fireTime", fire.toString())
              .put("id", run.get("id").asLong())
              .put("state", run.get("state").asText()));
      opts.printData(result, out);
    }
    out.flush();
    return allSucceeded ? 0 : 1;
  }

  private static String counts(Iterable<JsonNode> runs) {
    Map<String, Integer> byState = new TreeMap<>();
    runs.forEach(r -> byState.merge(r.get("state").asText(), 1, Integer::sum));
    if (byState.isEmpty()) {
      return "none yet";
    }
    List<String> parts = new ArrayList<>();
    byState.forEach((state, n) -> parts.add(String.format("%,d %s", n, state)));
    return String.join(", ", parts);
  }

  private List<Instant> fires(String schedule, ZoneId zone, Instant start, Instant end) {
    CronSchedule cron = CronSchedule.parse(schedule);
    List<Instant> fires = new ArrayList<>();
    Instant t = cron.nextAfter(start.minusMillis(1), zone);
    while (t != null && !t.isAfter(end)) {
      if (fires.size() == MAX_FIRES) {
        throw new ParameterException(
            spec.commandLine(),
            String.format(
                "the range holds more than %,d fires of \"%s\"; backfill a shorter range at a time",
                MAX_FIRES, schedule));
      }
      fires.add(t);
      t = cron.nextAfter(t, zone);
    }
    return fires;
  }

  /** A date (start or, for the end, end of that day), a local date-time, or an instant. */
  private Instant time(String text, ZoneId zone, boolean endOfDay, String option) {
    try {
      if (text.length() == 10) {
        LocalDate day = LocalDate.parse(text);
        return endOfDay
            ? day.plusDays(1).atStartOfDay(zone).toInstant().minusMillis(1)
            : day.atStartOfDay(zone).toInstant();
      }
      if (text.endsWith("Z") || text.matches(".*[+-]\\d\\d:\\d\\d$")) {
        return java.time.OffsetDateTime.parse(text).toInstant();
      }
      return LocalDateTime.parse(text).atZone(zone).toInstant();
    } catch (DateTimeException e) {
      throw new ParameterException(
          spec.commandLine(),
          option
              + ": \""
              + text
              + "\" is not a date (2026-01-31), a local time (2026-01-31T02:00) or an instant"
              + " (2026-01-31T02:00:00Z)");
    }
  }
}
