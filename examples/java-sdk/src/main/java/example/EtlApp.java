package example;

import dev.kairos.core.spec.JobManifest;
import dev.kairos.sdk.Job;
import dev.kairos.sdk.KairosClient;
import dev.kairos.sdk.KairosWorker;
import dev.kairos.sdk.Task;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Defines a DAG in code (Airflow's {@code extract >> [transform, audit] >> load}), runs its java:
 * tasks in a worker embedded here, triggers one run and prints how it ended.
 *
 * <p>It finds the server and tokens in the state directory of {@code ./kairos up} ({@code
 * KAIROS_STATE_DIR}, default {@code ../../.kairos}), or in KAIROS_SERVER, KAIROS_TOKEN and
 * KAIROS_WORKER_TOKEN.
 */
public final class EtlApp {
  public static void main(String[] args) throws Exception {
    Path state = Path.of(System.getenv().getOrDefault("KAIROS_STATE_DIR", "../../.kairos"));
    String server = setting("KAIROS_SERVER", state.resolve("server.url"));
    String adminToken = setting("KAIROS_TOKEN", state.resolve("admin.token"));
    String workerToken = setting("KAIROS_WORKER_TOKEN", state.resolve("worker.token"));

    Task extract = Task.shell("extract", "echo rows=21 >> \"$KAIROS_OUTPUT\"");
    Task transform = Task.java("transform", "double-rows").retries(2, Duration.ofSeconds(1));
    Task audit = Task.java("audit", "audit");
    Task load = Task.shell("load", "echo \"loading $KAIROS_IN_TRANSFORM_ROWS rows\"");
    extract.then(transform, audit).then(load);
    JobManifest job =
        Job.named("etl-from-java")
            .schedule("@daily")
            .pool("java-example")
            .tasks(extract, transform, audit, load)
            .build();

    try (KairosWorker worker =
        KairosWorker.builder(server, workerToken)
            .pool("java-example")
            .handler(
                "double-rows",
                ctx -> {
                  int rows = Integer.parseInt(ctx.input("extract", "rows").orElse("0"));
                  ctx.log("doubling " + rows + " rows for run " + ctx.runId());
                  return Map.of("rows", String.valueOf(rows * 2));
                })
            .handler("audit", ctx -> Map.of("checked", "true"))
            .start()) {
      KairosClient client = KairosClient.connect(server, adminToken);
      System.out.println("applied etl-from-java, version " + client.apply(job));
      long run = client.trigger("default", "etl-from-java");
      KairosClient.RunResult result = client.await(run, Duration.ofMinutes(2));
      System.out.println("run " + run + ": " + result.state() + " " + result.tasks());
      System.out.println("outputs: " + result.outputs());
      System.exit(result.succeeded() ? 0 : 1);
    }
  }

  private static String setting(String env, Path file) throws Exception {
    String value = System.getenv(env);
    return value != null ? value : Files.readString(file).trim();
  }
}
