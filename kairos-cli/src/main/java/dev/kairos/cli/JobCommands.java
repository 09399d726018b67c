package dev.kairos.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kairos.cli.client.ApiClient;
import dev.kairos.cli.client.ClientOptions;
import dev.kairos.cli.output.Format;
import dev.kairos.cli.output.Table;
import dev.kairos.core.spec.JobManifestCodec;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Commands on jobs: apply, get, delete, suspend, resume. */
final class JobCommands {
  private JobCommands() {}

  @Command(
      name = "apply",
      mixinStandardHelpOptions = true,
      description = "Create or update jobs from a YAML file (several documents separated by ---).")
  static final class Apply implements Callable<Integer> {
    @Mixin ClientOptions opts;
    @Spec CommandSpec spec;

    @Option(
        names = {"-f", "--file"},
        required = true,
        description = "YAML manifest file, or - for standard input.")
    String file;

    @Override
    public Integer call() throws IOException {
      String text =
          file.equals("-")
              ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
              : Files.readString(Path.of(file));
      List<JsonNode> docs = JobManifestCodec.yamlDocuments(text);
      ApiClient api = opts.client();
      PrintWriter out = spec.commandLine().getOut();
      for (JsonNode doc : docs) {
        if (doc == null || doc.isNull() || doc.isMissingNode()) {
          continue;
        }
        JsonNode r = api.applyJob(doc);
        if (!opts.printData(r, out)) {
          JsonNode job = r.get("job");
          out.printf(
              "job %s/%s %s (version %d)%n",
              job.get("namespace").asText(),
              job.get("name").asText(),
              r.get("change").asText().toLowerCase(java.util.Locale.ROOT),
              job.get("version").asLong());
        }
      }
      out.flush();
      return 0;
    }
  }

  @Command(
      name = "get",
      mixinStandardHelpOptions = true,
      description = "List jobs (get jobs) or show one (get job NAME).")
  static final class Get implements Callable<Integer> {
    @Mixin ClientOptions opts;
    @Spec CommandSpec spec;

    @Parameters(index = "0", description = "jobs or job")
    String kind;

    @Parameters(
        index = "1",
        arity = "0..1",
        description = "JOB (name or namespace/name) for `get job`")
    String name;

    @Option(
        names = {"-A", "--all-namespaces"},
        description = "List jobs of every namespace.")
    boolean all;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      ApiClient api = opts.client();
      switch (kind) {
        case "jobs" -> {
          JsonNode r = api.listJobs(all ? null : opts.namespace);
          if (!opts.printData(r, out)) {
            jobTable(r.get("items")).print(out);
          }
        }
        case "job" -> {
          if (name == null) {
            throw new picocli.CommandLine.ParameterException(
                spec.commandLine(), "get job needs a JOB name");
          }
          String[] j = opts.job(name);
          JsonNode r = api.getJob(j[0], j[1]);
          if (!opts.printData(r, out)) {
            jobTable(List.of(r)).print(out);
          }
        }
        default ->
            throw new picocli.CommandLine.ParameterException(
                spec.commandLine(), "get: \"" + kind + "\": use `get jobs` or `get job NAME`");
      }
      return 0;
    }
  }

  static Table jobTable(Iterable<JsonNode> jobs) {
    Instant now = Instant.now();
    Table t =
        new Table(
            "NAMESPACE", "NAME", "SCHEDULE", "TIMEZONE", "SUSPENDED", "NEXT FIRE", "LAST RUN");
    for (JsonNode j : jobs) {
      JsonNode last = j.get("lastRun");
      String lastRun =
          last == null || last.isNull()
              ? "-"
              : last.get("state").asText() + " " + Format.age(last.get("createdAt"), now);
      t.row(
          j.get("namespace").asText(),
          j.get("name").asText(),
          Format.text(j.get("schedule")),
          j.get("timeZone").asText(),
          String.valueOf(j.get("suspended").asBoolean()),
          Format.time(j.get("nextFireAt")),
          lastRun);
    }
    return t;
  }

  @Command(
      name = "delete",
      mixinStandardHelpOptions = true,
      description = "Delete a job with its runs (delete job NAME).")
  static final class Delete implements Callable<Integer> {
    @Mixin ClientOptions opts;
    @Spec CommandSpec spec;

    @Parameters(index = "0", description = "job")
    String kind;

    @Parameters(index = "1", description = "JOB (name or namespace/name)")
    String name;

    @Override
    public Integer call() {
      if (!kind.equals("job")) {
        throw new picocli.CommandLine.ParameterException(
            spec.commandLine(), "use `delete job NAME`");
      }
      String[] j = opts.job(name);
      opts.client().deleteJob(j[0], j[1]);
      spec.commandLine().getOut().printf("job %s/%s deleted%n", j[0], j[1]);
      spec.commandLine().getOut().flush();
      return 0;
    }
  }

  @Command(
      name = "suspend",
      mixinStandardHelpOptions = true,
      description = "Pause a job's schedule.")
  static final class Suspend implements Callable<Integer> {
    @Mixin ClientOptions opts;
    @Spec CommandSpec spec;

    @Parameters(index = "0", description = "JOB (name or namespace/name)")
    String name;

    @Override
    public Integer call() {
      return toggle(opts, spec, name, true);
    }
  }

  @Command(
      name = "resume",
      mixinStandardHelpOptions = true,
      description = "Resume a job's schedule from its next fire.")
  static final class Resume implements Callable<Integer> {
    @Mixin ClientOptions opts;
    @Spec CommandSpec spec;

    @Parameters(index = "0", description = "JOB (name or namespace/name)")
    String name;

    @Override
    public Integer call() {
      return toggle(opts, spec, name, false);
    }
  }

  private static int toggle(ClientOptions opts, CommandSpec spec, String name, boolean suspend) {
    String[] j = opts.job(name);
    JsonNode r = opts.client().suspend(j[0], j[1], suspend);
    PrintWriter out = spec.commandLine().getOut();
    if (!opts.printData(r, out)) {
      out.printf(
          "job %s/%s %s; next fire: %s%n",
          j[0], j[1], suspend ? "suspended" : "resumed", Format.time(r.get("nextFireAt")));
      out.flush();
    }
    return 0;
  }
}
