package dev.kairos.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kairos.cli.client.ApiClient;
import dev.kairos.cli.client.ApiException;
import dev.kairos.cli.client.ClientOptions;
import dev.kairos.cli.output.Format;
import dev.kairos.cli.output.Table;
import dev.kairos.core.spec.JobManifestCodec;
import dev.kairos.core.spec.Quantities;
import dev.kairos.core.spec.ValidationException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
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
      description = {
        "Create or update jobs from a YAML file of one or more documents (separated by ---).",
        "Each document is sent on its own and reported on its own line; a document the server"
            + " refuses is named, the others are applied all the same, and the exit code is 1.",
        "A file is at most 16 MiB, a document at most 1 MiB; a file that is not valid YAML, or"
            + " gives a key twice, is refused whole: nothing is applied."
      })
  static final class Apply implements Callable<Integer> {
    /** The most of a file read (a file may hold many manifests; the server takes 1 MiB each). */
    static final int MAX_FILE_BYTES = 16 << 20;

    @Mixin ClientOptions opts;
    @Spec CommandSpec spec;

    @Option(
        names = {"-f", "--file"},
        required = true,
        description = "YAML manifest file, or - for standard input.")
    String file;

    @Override
    public Integer call() throws IOException {
      List<JsonNode> docs;
      try {
        docs = JobManifestCodec.yamlDocuments(read());
        if (docs.isEmpty()) {
          throw new ValidationException("--file", file, "holds no manifest");
        }
      } catch (ValidationException e) {
        Main.reportInvalid(
            "invalid input, nothing applied", e.errors(), spec.commandLine().getErr());
        return 1;
      }
      ApiClient api = opts.client();
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      List<String> notApplied = new ArrayList<>();
      for (int i = 0; i < docs.size(); i++) {
        JsonNode r;
        try {
          r = api.applyJob(docs.get(i));
        } catch (ApiException e) {
          if (docs.size() == 1) {
            throw e;
          }
          String which = "document " + (i + 1) + name(docs.get(i));
          out.flush();
          Main.report(new ApiException(e.status(), which + ": " + e.getMessage(), e.errors()), err);
          notApplied.add(which);
          if (!aboutTheDocument(e)) { // the server is away, or the token is refused: stop here
            for (int j = i + 1; j < docs.size(); j++) {
              notApplied.add("document " + (j + 1) + name(docs.get(j)));
            }
            break;
          }
          continue;
        }
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
      if (notApplied.isEmpty()) {
        return 0;
      }
      err.println(
          "kairos: applied "
              + (docs.size() - notApplied.size())
              + " of "
              + docs.size()
              + " documents; not applied: "
              + String.join(", ", notApplied));
      err.flush();
      return 1;
    }

    /** The file, or standard input, read no further than {@link #MAX_FILE_BYTES}. */
    private String read() throws IOException {
      byte[] bytes;
      if (file.equals("-")) {
        bytes = System.in.readNBytes(MAX_FILE_BYTES + 1);
      } else {
        try (InputStream in = Files.newInputStream(Path.of(file))) {
          bytes = in.readNBytes(MAX_FILE_BYTES + 1);
        }
      }
      if (bytes.length > MAX_FILE_BYTES) {
        throw new ValidationException(
            "--file",
            file,
            "is more than "
                + Quantities.formatBytes(MAX_FILE_BYTES)
                + "; apply reads at most that much: split it into several files");
      }
      return new String(bytes, StandardCharsets.UTF_8);
    }

    /** " (namespace/name)" of a manifest tree, or "" when it has no name. */
    private static String name(JsonNode doc) {
      JsonNode meta = doc.path("metadata");
      if (!meta.path("name").isTextual()) {
        return "";
      }
      return " ("
          + meta.path("namespace").asText("default")
          + "/"
          + meta.path("name").asText()
          + ")";
    }

    /** Whether the server refused the document itself (else it is away or refuses the caller). */
    private static boolean aboutTheDocument(ApiException e) {
      return e.status() >= 400 && e.status() < 500 && e.status() != 401 && e.status() != 403;
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
