package dev.kairos.sdk;

import java.util.Map;

/**
 * The code of a {@code java: {handler: NAME}} task, registered under NAME in a {@link
 * KairosWorker}. It runs with the same lease, heartbeat, timeout, retry and output semantics as any
 * other task: a thrown exception fails the attempt (the retry policy may retry it), and the map it
 * returns is what the task publishes for its downstream tasks (as a shell task's {@code
 * $KAIROS_OUTPUT}: at most 16 KiB of one-line values).
 */
@FunctionalInterface
public interface TaskHandler {
  Map<String, String> run(TaskContext context) throws Exception;
}
