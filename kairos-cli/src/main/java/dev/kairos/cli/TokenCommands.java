package dev.kairos.cli;

import com.fasterxml.jackson.databind.JsonNode;
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

/** {@code kairos token create|list|revoke}: API tokens with roles (an admin token's work). */
@Command(
    name = "token",
    mixinStandardHelpOptions = true,
    description =
        "API tokens with roles: admin (everything), operator (apply, trigger, cancel, repair;"
            + " read), viewer (read only), events (send events only), worker (the worker protocol"
            + " only). Needs an admin token.",
    subcommands = {
      TokenCommands.Create.class,
      TokenCommands.List.class,
      TokenCommands.Revoke.class,
      TokenCommands.Rotate.class,
      TokenCommands.RotateAdmin.class
    })
final class TokenCommands implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 0;
  }

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description =
          "Create a token and print it. It is shown this once: the server keeps only its hash.")
  static final class Create implements Callable<Integer> {
    @Mixin ClientOptions opts;
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "A DNS label: ci, grafana, ...")
    String name;

    @Option(
        names = "--role",
        required = true,
        description = "admin, operator, viewer, events or worker.")
    String role;

    @Option(
        names = "--namespaces",
        split = ",",
        paramLabel = "NS",
        description =
            "Limit an operator, viewer or events token to these namespaces (a,b): it reads and"
                + " changes their jobs, runs and alerts only.")
    java.util.List<String> namespaces = new java.util.ArrayList<>();

    @Option(
        names = "--pools",
        split = ",",
        paramLabel = "POOL",
        description =
            "Limit a worker token to enrolling workers of these pools (gpu,batch): its workers"
                + " receive their attempts, and secrets, only.")
    java.util.List<String> pools = new java.util.ArrayList<>();

    @Option(
        names = "--clusters",
        split = ",",
        paramLabel = "CLUSTER",
        description = "Limit a worker token to enrolling workers of these clusters (eu,us).")
    java.util.List<String> clusters = new java.util.ArrayList<>();

    @Option(
        names = "--expires",
        paramLabel = "DURATION",
        description = "Stop working after this long: 1m to 3650d (90d, 12h). Default: never.")
    String expires;

    @Override
    public Integer call() {
      java.util.Map<String, Object> limits = new java.util.LinkedHashMap<>();
      limits.put("namespaces", namespaces);
      limits.put("pools", pools);
      limits.put("clusters", clusters);
      limits.put("expiresIn", expires);
      JsonNode made = opts.client().createToken(name, role, limits);
      PrintWriter out = spec.commandLine().getOut();
      if (opts.printData(made, out)) {
        return 0;
      }
      out.println(made.get("token").asText());
      spec.commandLine()
          .getErr()
          .printf(
              "token %s (%s) created; it is shown this once, store it now%n",
              made.get("name").asText(), made.get("role").asText());
      return 0;
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description =
          "The tokens by name, with their role, limits, expiry and age; never their secrets. A"
              + " worker's credential is listed under the token it enrolled with, with its worker"
              + " id.")
  static final class List implements Callable<Integer> {
    @Mixin ClientOptions opts;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      JsonNode tokens = opts.client().listTokens();
      PrintWriter out = spec.commandLine().getOut();
      if (opts.printData(tokens, out)) {
        return 0;
      }
      Table t = new Table("NAME", "ROLE", "WORKER", "LIMITS", "EXPIRES", "AGE");
      Instant now = Instant.now();
      for (JsonNode tok : tokens.get("items")) {
        JsonNode expires = tok.path("expiresAt");
        t.row(
            tok.get("name").asText(),
            tok.get("role").asText(),
            tok.path("workerId").isTextual() ? tok.get("workerId").asText() : "-",
            limits(tok),
            expires.isTextual()
                ? (Instant.parse(expires.asText()).isAfter(now) ? expires.asText() : "expired")
                : "never",
            Format.age(tok.get("createdAt"), now));
      }
      t.print(out);
      return 0;
    }
  }

  /** {@code namespaces=a,b pools=gpu}, or {@code -} for none. */
  static String limits(JsonNode token) {
    java.util.List<String> parts = new java.util.ArrayList<>();
    for (String field : new String[] {"namespaces", "pools", "clusters"}) {
      java.util.List<String> values = new java.util.ArrayList<>();
      token.path(field).forEach(v -> values.add(v.asText()));
      if (!values.isEmpty()) {
        parts.add(field + "=" + String.join(",", values));
      }
    }
    return parts.isEmpty() ? "-" : String.join(" ", parts);
  }

  @Command(
      name = "revoke",
      mixinStandardHelpOptions = true,
      description =
          "Revoke the tokens of this name, and the credentials of the workers that enrolled with"
              + " it: they stop working on every replica within a second.")
  static final class Revoke implements Callable<Integer> {
    @Mixin ClientOptions opts;
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Override
    public Integer call() {
      opts.client().revokeToken(name);
      spec.commandLine().getOut().printf("token %s revoked%n", name);
      return 0;
    }
  }

  @Command(
      name = "rotate",
      mixinStandardHelpOptions = true,
      description =
          "Give the tokens of this name a new secret, of the same role, and print it (shown this"
              + " once). The old secret stops working on every replica within a second.")
  static final class Rotate implements Callable<Integer> {
    @Mixin ClientOptions opts;
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Override
    public Integer call() {
      JsonNode made = opts.client().rotateToken(name);
      PrintWriter out = spec.commandLine().getOut();
      if (!opts.printData(made, out)) {
        out.println(made.get("token").asText());
      }
      return 0;
    }
  }

  @Command(
      name = "rotate-admin",
      mixinStandardHelpOptions = true,
      description =
          "Give the admin token a new secret and write it to <state-dir>/admin.token (mode 0600),"
              + " where the CLI and a restarted server find it. The old secret stops working on"
              + " every replica within a second.")
  static final class RotateAdmin implements Callable<Integer> {
    @Mixin ClientOptions opts;
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws java.io.IOException {
      JsonNode made = opts.client().rotateToken("admin");
      java.nio.file.Path file = opts.stateDir().resolve("admin.token");
      dev.kairos.server.auth.Tokens.writeOwnerOnly(file, made.get("token").asText() + "\n");
      spec.commandLine()
          .getOut()
          .printf("admin token rotated; the new one is in %s (mode 0600)%n", file);
      return 0;
    }
  }
}
