package dev.kairos.cli;

import dev.kairos.cli.client.ApiException;
import dev.kairos.cli.serve.Serve;
import dev.kairos.core.spec.FieldError;
import dev.kairos.core.spec.ValidationException;
import dev.kairos.store.StoreException;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code kairos} command. */
@Command(
    name = "kairos",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Kairos: a distributed task scheduler. Start with `kairos up`.",
    subcommands = {
      UpCommand.class,
      ServerCommand.class,
      WorkerCommand.class,
      JobCommands.Apply.class,
      JobCommands.Get.class,
      JobCommands.Delete.class,
      RunCommands.Runs.class,
      RunCommands.Run.class,
      RunCommands.Logs.class,
      RunCommands.Trigger.class,
      BackfillCommand.class,
      RunCommands.Retry.class,
      RunCommands.Rerun.class,
      RunCommands.Mark.class,
      RunCommands.Cancel.class,
      JobCommands.Suspend.class,
      JobCommands.Resume.class,
      PoolCommands.Pools.class,
      PoolCommands.Workers.class,
      PoolCommands.Configure.class,
      AuditCommand.class,
      TokenCommands.class,
      AlertsCommand.class,
      BenchCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main {
  public static void main(String[] args) {
    int code = run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
    System.exit(code);
  }

  /** Runs the command line; returns the exit code (0 ok, 1 failed, 2 usage). */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cli = new CommandLine(new Main());
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
      report(e, cmd.getErr());
      return e instanceof Serve.FlagException ? cmd.getCommandSpec().exitCodeOnInvalidInput() : 1;
    });
    cli.setParameterExceptionHandler(Main::reportUsage);
    return cli.execute(args);
  }

  /** One line (plus field errors) on stderr; never a stack trace. */
  static void report(Exception e, PrintWriter err) {
    switch (e) {
      case ApiException api -> {
        err.println("kairos: " + api.getMessage());
        api.errors().forEach(line -> err.println("  " + line));
      }
      case ValidationException v -> reportInvalid("invalid input", v.errors(), err);
      case StoreException s -> err.println("kairos: " + s.getMessage());
      case java.nio.file.NoSuchFileException f ->
          err.println("kairos: no such file: " + f.getFile());
      case java.net.BindException b ->
          err.println(
              "kairos: cannot listen: "
                  + b.getMessage()
                  + " (is another server using the port? try --port)");
      default -> err.println("kairos: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
    }
    err.flush();
  }

  /** {@code kairos: HEADLINE}, then each problem on a line of its own. */
  static void reportInvalid(String headline, List<FieldError> errors, PrintWriter err) {
    err.println("kairos: " + headline);
    errors.forEach(line -> err.println("  " + line));
    err.flush();
  }

  /**
   * A usage error (bad flag, bad value, unknown command): one line naming it (with suggestions for
   * a mistyped name) instead of the whole help, and exit code 2.
   */
  static int reportUsage(CommandLine.ParameterException e, String[] args) {
    CommandLine cmd = e.getCommandLine();
    PrintWriter err = cmd.getErr();
    err.println("kairos: " + e.getMessage());
    CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
    err.flush();
    return cmd.getCommandSpec().exitCodeOnInvalidInput();
  }

  /** The version from the jar manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"kairos " + (v == null ? "dev" : v)};
    }
  }
}
