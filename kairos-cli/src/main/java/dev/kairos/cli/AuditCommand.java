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

/** {@code kairos audit}: the audit log, newest first. */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    description =
        "The audit log, newest first: every mutating API call with the token that made it, what it"
            + " acted on, when, from where, and its HTTP status (refused calls too).")
final class AuditCommand implements Callable<Integer> {
  @Mixin ClientOptions opts;
  @Spec CommandSpec spec;

  @Option(
      names = "--by",
      paramLabel = "TOKEN_NAME",
      description = "Only calls made with the token of this name (e.g. admin).")
  String token;

  @Option(
      names = "--limit",
      defaultValue = "50",
      description = "At most this many entries, 1 to 1000 (default: ${DEFAULT-VALUE}).")
  int limit;

  @Option(
      names = "--before",
      paramLabel = "ID",
      description = "Only entries older than this id (the NEXT printed below a page).")
  Long before;

  @Override
  public Integer call() {
    JsonNode page = opts.client().listAudit(token, before, limit);
    PrintWriter out = spec.commandLine().getOut();
    if (opts.printData(page, out)) {
      return 0;
    }
    Table t = new Table("ID", "AT", "TOKEN", "CALL", "SUBJECT", "STATUS", "FROM");
    for (JsonNode e : page.get("items")) {
      t.row(
          e.get("id").asText(),
          Format.time(e.get("at")),
          e.get("tokenName").isNull() ? "(none)" : e.get("tokenName").asText(),
          e.get("method").asText() + " " + e.get("path").asText(),
          e.get("subject").isNull() ? "" : e.get("subject").asText(),
          e.get("status").asText(),
          e.get("remote").asText());
    }
    t.print(out);
    if (!page.get("next").isNull()) {
      out.println("more: kairos audit --before " + page.get("next").asText());
    }
    return 0;
  }
}
