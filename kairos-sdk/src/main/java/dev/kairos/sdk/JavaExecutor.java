package dev.kairos.sdk;

import dev.kairos.core.protocol.Assignment;
import dev.kairos.core.protocol.TaskOutputs;
import dev.kairos.core.spec.Durations;
import dev.kairos.core.spec.JavaSpec;
import dev.kairos.worker.executor.ExecutionContext;
import dev.kairos.worker.executor.Executor;
import dev.kairos.worker.executor.Outcome;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs {@code java:} tasks with the handlers registered by name, each on a virtual thread of its
 * own that is interrupted on timeout or cancel.
 */
final class JavaExecutor implements Executor {
  private final Map<String, TaskHandler> handlers;

  JavaExecutor(Map<String, TaskHandler> handlers) {
    this.handlers = Map.copyOf(handlers);
  }

  @Override
  public String type() {
    return "java";
  }

  @Override
  public Outcome execute(Assignment a, ExecutionContext ctx) throws InterruptedException {
    String name = ((JavaSpec) a.task().executor()).handler();
    TaskHandler handler = handlers.get(name);
    if (handler == null) {
      return new Outcome.Failed(
          null,
          "this worker has no handler "
              + name
              + " (it has: "
              + String.join(", ", handlers.keySet().stream().sorted().toList())
              + "); run java tasks in a pool whose workers register it");
    }
    TaskContext context = new TaskContext(a, ctx);
    CompletableFuture<Map<String, String>> result = new CompletableFuture<>();
    Thread thread =
        Thread.ofVirtual()
            .name("kairos-java-" + a.attemptId())
            .start(() -> {
              try {
                result.complete(handler.run(context));
              } catch (Throwable t) {
                result.completeExceptionally(t);
              }
            });
    ctx.onCancel(thread::interrupt);
    Duration timeout = a.task().timeout();
    Map<String, String> outputs;
    try {
      outputs =
          timeout == null ? result.get() : result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      thread.interrupt();
      return new Outcome.TimedOut("timed out after " + Durations.format(timeout));
    } catch (ExecutionException e) {
      if (ctx.cancelled()) {
        return new Outcome.Cancelled("cancelled");
      }
      Throwable cause = e.getCause();
      ctx.log().line("stderr", cause.toString());
      return new Outcome.Failed(null, cause.getClass().getSimpleName() + ": " + cause.getMessage());
    } catch (InterruptedException e) {
      thread.interrupt();
      throw e;
    }
    if (ctx.cancelled()) {
      return new Outcome.Cancelled("cancelled");
    }
    try {
      TaskOutputs.check(outputs == null ? Map.of() : outputs);
    } catch (IllegalArgumentException e) {
      return new Outcome.Failed(null, "the handler's outputs " + e.getMessage());
    }
    return new Outcome.Succeeded(outputs == null ? Map.of() : outputs);
  }
}
