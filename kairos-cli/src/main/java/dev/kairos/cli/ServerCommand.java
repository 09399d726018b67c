package dev.kairos.cli;

import dev.kairos.cli.serve.Serve;
import dev.kairos.cli.serve.ServeOptions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code kairos server}: one server replica, without a local worker. */
@Command(
    name = "server",
    mixinStandardHelpOptions = true,
    description = {
      "Start a Kairos server replica (API, trigger ticker, lease reaper) without a local worker.",
      "Run any number against one PostgreSQL database with --db jdbc:postgresql://..."
    })
public final class ServerCommand implements Callable<Integer> {
  @Mixin LogOptions logs;

  @Mixin ServeOptions serve;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    logs.apply();
    Serve.Running running = Serve.start(serve);
    running.printBanner(spec.commandLine().getOut(), "server");
    UpCommand.awaitShutdown(running::close);
    return 0;
  }
}
