package dev.kairos.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kairos.core.spec.JobManifest;
import dev.kairos.core.spec.ValidationException;
import dev.kairos.server.KairosServer;
import dev.kairos.server.ServerConfig;
import dev.kairos.store.Store;
import dev.kairos.store.StoreConfig;
import dev.kairos.store.StoreFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real server (SQLite, random loopback port, no worker of its own) and an application's embedded
 * worker over HTTP with the worker token; the job is defined, applied and awaited from code.
 */
class SdkTest {
  @TempDir Path dir;
  Store store;
  KairosServer server;
  KairosClient client;
  String workerToken;

  @BeforeEach
  void start() throws Exception {
    store = StoreFactory.open(StoreConfig.sqlite(dir));
    server = new KairosServer(ServerConfig.defaults(dir).withPort(0), store, Clock.systemUTC());
    server.start();
    client = KairosClient.connect(server.url(), Files.readString(server.adminTokenFile()).trim());
    workerToken = Files.readString(dir.resolve("worker.token")).trim();
  }

  @AfterEach
  void stop() {
    server.close();
    store.close();
  }

  @Test
  void aDagDefinedInCodeRunsItsJavaHandlerWithInputsAndOutputs() throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    Task extract = Task.shell("extract", "echo rows=21 >> \"$KAIROS_OUTPUT\"");
    Task transform = Task.java("transform", "double").retries(2, Duration.ofMillis(100));
    Task audit = Task.java("audit", "audit");
    Task load = Task.shell("load", "echo \"loading $KAIROS_IN_TRANSFORM_ROWS rows\"");
    extract.then(transform, audit).then(load);
    JobManifest job = Job.named("etl").pool("java").tasks(extract, transform, audit, load).build();
    assertThat(job.spec().tasks().get(3).dependsOn()).containsExactly("transform", "audit");

    try (KairosWorker worker =
        KairosWorker.builder(server.url(), workerToken)
            .pool("java")
            .workRoot(dir.resolve("work"))
            .handler(
                "double",
                ctx -> {
                  seen.add(ctx.task() + " attempt " + ctx.attempt());
                  if (ctx.attempt() == 1) {
                    throw new IllegalStateException("flaky on the first try");
                  }
                  int rows = Integer.parseInt(ctx.input("extract", "rows").orElseThrow());
                  ctx.log("doubling " + rows);
                  return Map.of("rows", String.valueOf(rows * 2));
                })
            .handler("audit", ctx -> Map.of())
            .start()) {
      assertThat(client.apply(job)).isEqualTo(1);
      long run = client.trigger("default", "etl");
      KairosClient.RunResult result = client.await(run, Duration.ofSeconds(60));
      assertThat(result.succeeded()).as(result.toString()).isTrue();
      assertThat(result.tasks())
          .containsExactly(
              Map.entry("extract", "SUCCEEDED"),
              Map.entry("transform", "SUCCEEDED"),
              Map.entry("audit", "SUCCEEDED"),
              Map.entry("load", "SUCCEEDED"));
      assertThat(result.outputs()).containsEntry("transform", Map.of("rows", "42"));
      assertThat(seen).containsExactly("transform attempt 1", "transform attempt 2");
      assertThat(store.logsOfRun(run).toString())
          .contains("doubling 21")
          .contains("loading 42 rows");
      assertThat(store.attemptsOf(run).get(1).error())
          .isEqualTo("IllegalStateException: flaky on the first try");
    }
  }

  @Test
  void anEventSentFromCodeStartsAJavaTaskThatReadsItsParameters() throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    client.apply(
        dev.kairos.core.spec.JobManifestCodec.parseYaml(
            """
            apiVersion: kairos.dev/v1
            kind: Job
            metadata: {name: on-upload}
            spec:
              placement: {pool: java}
              triggers: [{event: {type: upload-done}}]
              task: {java: {handler: greet}}
            """));
    try (KairosWorker worker =
        KairosWorker.builder(server.url(), workerToken)
            .pool("java")
            .workRoot(dir.resolve("work"))
            .handler(
                "greet",
                ctx -> {
                  seen.add(ctx.param("file").orElse("?") + " " + ctx.event().orElse("?"));
                  return Map.of();
                })
            .start()) {
      List<Long> runs = client.sendEvent("upload-done", "sdk-test", "u-1", Map.of("file", "a.csv"));
      assertThat(runs).hasSize(1);
      assertThat(client.await(runs.get(0), Duration.ofSeconds(20)).succeeded()).isTrue();
      assertThat(client.sendEvent("upload-done", "sdk-test", "u-1", Map.of("file", "a.csv")))
          .as("the same event again starts nothing")
          .isEmpty();
    }
    assertThat(seen)
        .singleElement()
        .asString()
        .startsWith("a.csv {")
        .contains("\"source\":\"sdk-test\"");
  }

  @Test
  void aJavaTaskWithoutItsHandlerFailsSayingWhichHandlersTheWorkerHas() throws Exception {
    JobManifest job = Job.named("lost").tasks(Task.java("main", "missing")).build();
    try (KairosWorker worker =
        KairosWorker.builder(server.url(), workerToken)
            .handler("present", ctx -> Map.of())
            .start()) {
      client.apply(job);
      KairosClient.RunResult result =
          client.await(client.trigger("default", "lost"), Duration.ofSeconds(60));
      assertThat(result.state()).isEqualTo("FAILED");
      assertThat(result.reason()).contains("this worker has no handler missing (it has: present)");
    }
  }

  @Test
  void theExampleProjectCompilesAgainstThisSdk() throws Exception {
    Path source =
        Path.of("..", "examples", "java-sdk", "src", "main", "java", "example", "EtlApp.java");
    javax.tools.JavaCompiler javac = javax.tools.ToolProvider.getSystemJavaCompiler();
    java.io.ByteArrayOutputStream errors = new java.io.ByteArrayOutputStream();
    int code =
        javac.run(
            null,
            null,
            new java.io.PrintStream(errors, true, java.nio.charset.StandardCharsets.UTF_8),
            "--release",
            "21",
            "-cp",
            System.getProperty("java.class.path"),
            "-d",
            dir.resolve("example-classes").toString(),
            source.toString());
    assertThat(code).as(errors.toString()).isZero();
    assertThat(dir.resolve("example-classes/example/EtlApp.class")).exists();
  }

  @Test
  void aBadDagIsRejectedWhenBuiltWithTheCyclePath() {
    Task a = Task.empty("a");
    Task b = Task.empty("b");
    a.then(b).then(a);
    assertThatThrownBy(() -> Job.named("loop").tasks(a, b).build())
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("cycle: a -> b -> a");
    assertThatThrownBy(() -> KairosWorker.builder(server.url(), " "))
        .hasMessage("a worker token is required");
  }
}
