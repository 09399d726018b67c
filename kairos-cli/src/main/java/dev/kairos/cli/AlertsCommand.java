package dev.kairos.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kairos.cli.client.ClientOptions;
import dev.kairos.cli.output.Format;
import dev.kairos.cli.output.Table;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kairos alerts}: alerts and their delivery status, newest first. */
@Command(
    name = "alerts",
    mixinStandardHelpOptions = true,
    description =
        "Alerts (run failed, retries exhausted, past SLA, missed fire) and whether their webhooks"
            + " got them, newest first.")
final class AlertsCommand implements Callable<Integer> {
  @Mixin ClientOptions opts;
  @Spec CommandSpec spec;

  @Option(names = "--job", paramLabel = "NAMESPACE/NAME", description = "Only this job's alerts.")
  String job;

  @Option(names = "--run", paramLabel = "ID", description = "Only this run's alerts.")
  Long run;

  @Option(
      names = "--state",
      paramLabel = "STATE",
      description = "Only alerts in this state: pending, delivered or failed.")
  String state;

  @Option(
      names = "--limit",
      defaultValue = "50",
      description = "At most this many, 1 to 1000 (default: ${DEFAULT-VALUE}).")
  int limit;

  @Override
  public Integer call() {
    JsonNode page = opts.client().listAlerts(job, run, state, limit);
    PrintWriter out = spec.commandLine().getOut();
    if (opts.printData(page, out)) {
      return 0;
    }
    Table t =
        new Table("ID", "RAISED", "JOB", "RUN", "ALERT", "WEBHOOK", "STATE", "TRIES", "ERROR");
    for (JsonNode a : page.get("items")) {
      t.row(
          a.get("id").asText(),
          Format.time(a.get("createdAt")),
          a.get("namespace").asText() + "/" + a.get("job").asText(),
          a.get("runId").asText(),
          a.get("kind").asText(),
          a.get("webhook").asText(),
          a.get("state").asText(),
          a.get("attempts").asText(),
          Format.text(a.get("lastError")));
    }
    t.print(out);
    return 0;
  }
}
