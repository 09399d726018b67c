package dev.kairos.worker.contain;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Starts processes from one platform thread that lives as long as the worker. A process started
 * with a parent-death signal ({@code setpriv --pdeathsig KILL}) gets it when the <em>thread</em>
 * that forked it ends, not only the process: started from an attempt's virtual thread, it would be
 * killed whenever the carrier thread under it retired. From this thread, it is killed when the
 * worker's process dies (SIGKILL included) or when the worker closes this launcher.
 */
final class Launcher implements AutoCloseable {
  private record Launch(ProcessBuilder builder, CompletableFuture<Process> started) {}

  private final Queue<Launch> queue = new ArrayDeque<>();
  private final Thread thread;
  private boolean closed;

  Launcher(String name) {
    thread = Thread.ofPlatform().name(name).daemon(true).start(this::loop);
  }

  /**
   * Starts the process on the launcher thread and returns it. Waits for it even when interrupted (a
   * start takes milliseconds, and a process started for a caller that gave up would be nobody's);
   * the interrupt is kept for the caller to see.
   *
   * @throws IOException when it cannot be started, or the launcher is closed
   */
  Process start(ProcessBuilder builder) throws IOException {
    Launch launch = new Launch(builder, new CompletableFuture<>());
    synchronized (this) {
      if (closed) {
        throw new IOException("the worker is stopping: no process is started any more");
      }
      queue.add(launch);
      notifyAll();
    }
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return launch.started().get();
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException e) {
          if (e.getCause() instanceof IOException io) {
            throw io;
          }
          throw new IOException(e.getCause());
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void loop() {
    while (true) {
      Launch launch;
      synchronized (this) {
        while (queue.isEmpty() && !closed) {
          try {
            wait();
          } catch (InterruptedException e) {
            // only close() interrupts, after setting closed
          }
        }
        if (queue.isEmpty()) {
          return;
        }
        launch = queue.poll();
      }
      try {
        launch.started().complete(launch.builder().start());
      } catch (IOException | RuntimeException e) {
        launch.started().completeExceptionally(e);
      }
    }
  }

  /**
   * Starts what was asked before, then ends the thread: the processes it started that still run get
   * their parent-death signal.
   */
  @Override
  public void close() {
    synchronized (this) {
      closed = true;
      notifyAll();
    }
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
