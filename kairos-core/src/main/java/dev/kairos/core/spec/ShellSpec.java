package dev.kairos.core.spec;

import java.util.List;
import java.util.Map;

/**
 * A child process. {@code command} is run by {@code /bin/sh -c} when {@code args} is empty, so
 * pipes and redirects work; with {@code args} the command is executed directly with those arguments
 * and no shell. User data (run parameters, outputs) reaches the process only through environment
 * variables, never through the command line.
 *
 * @param command the command line, or the program when {@code args} is given (required)
 * @param args arguments passed as they are, no shell parsing (optional)
 * @param env extra environment variables (optional)
 * @param workingDir working directory; default a fresh directory per attempt
 * @param secretEnv environment variables whose values are secrets (given in {@code env} as objects,
 *     see {@link SecretEnv}); masked in the task's output
 */
public record ShellSpec(
    String command,
    List<String> args,
    Map<String, String> env,
    String workingDir,
    Map<String, SecretEnv> secretEnv)
    implements ExecutorSpec {

  public ShellSpec {
    args = List.copyOf(args);
    env = Map.copyOf(env);
    secretEnv = Map.copyOf(secretEnv);
  }

  /** A shell task without secrets. */
  public ShellSpec(String command, List<String> args, Map<String, String> env, String workingDir) {
    this(command, args, env, workingDir, Map.of());
  }

  /** The same task with its inline secret values replaced by {@code ***}, for display. */
  @Override
  public ShellSpec redacted() {
    if (secretEnv.isEmpty()) {
      return this;
    }
    Map<String, SecretEnv> shown = new java.util.LinkedHashMap<>();
    secretEnv.forEach((k, v) -> shown.put(k, v.redacted()));
    return new ShellSpec(command, args, env, workingDir, shown);
  }

  @Override
  public String type() {
    return "shell";
  }
}
