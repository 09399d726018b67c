package dev.kairos.core.spec;

/** JSON form of an effective {@link TaskSpec}, as stored on attempts and sent to workers. */
public final class TaskSpecCodec {
  private TaskSpecCodec() {}

  public static String toJson(TaskSpec task) {
    throw new UnsupportedOperationException("not yet");
  }

  public static TaskSpec fromJson(String json) {
    throw new UnsupportedOperationException("not yet");
  }
}
