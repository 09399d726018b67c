package dev.kairos.cli;

import dev.kairos.worker.shell.TaskEnvironment;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code --pass-env}, of every command that runs a worker. */
public final class PassEnvOption {
  @Spec(Spec.Target.MIXEE)
  CommandSpec mixee;

  @Option(
      names = "--pass-env",
      paramLabel = "NAME",
      description =
          "A variable of the worker's environment that its tasks see, and that a secret's fromEnv"
              + " may name; NAME* passes every variable starting with NAME (repeatable). Tasks"
              + " see none of the worker's variables but PATH, HOME, LANG, LC_*, TZ, TMPDIR and"
              + " USER unless passed so.")
  List<String> names;

  /** The names given, checked: a bad one is a usage error naming it. */
  Set<String> names() {
    Set<String> checked = new TreeSet<>();
    for (String name : names == null ? List.<String>of() : names) {
      if (!TaskEnvironment.PASS_ENV.matcher(name).matches()) {
        throw new ParameterException(
            mixee.commandLine(),
            "--pass-env "
                + name
                + ": not a variable name (letters, digits and _, not starting with a digit),"
                + " nor such a name followed by *");
      }
      checked.add(name);
    }
    return checked;
  }
}
