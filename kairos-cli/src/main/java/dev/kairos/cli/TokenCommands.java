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
      TokenCommands.Revoke.class
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

    @Override
    public Integer call() {
      JsonNode made = opts.client().createToken(name, role);
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
      description = "The tokens by name, with their role and age; never their secrets.")
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
      Table t = new Table("NAME", "ROLE", "AGE");
      Instant now = Instant.now();
      for (JsonNode tok : tokens.get("items")) {
        t.row(
            tok.get("name").asText(),
            tok.get("role").asText(),
            Format.age(tok.get("createdAt"), now));
      }
      t.print(out);
      return 0;
    }
  }

  @Command(
      name = "revoke",
      mixinStandardHelpOptions = true,
      description =
          "Revoke the tokens of this name: they stop working on every replica within a second.")
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
}
