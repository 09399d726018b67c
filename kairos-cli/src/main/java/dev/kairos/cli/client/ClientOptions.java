package dev.kairos.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Where the server is, how to authenticate, and how to print: shared by client commands. */
public final class ClientOptions {
  @Option(
      names = "--server",
      defaultValue = "${env:KAIROS_SERVER}",
      description =
          "Server URL (env KAIROS_SERVER; default: <state-dir>/server.url, else http://127.0.0.1:7070).")
  String server;

  @Option(
      names = "--token",
      defaultValue = "${env:KAIROS_TOKEN}",
      description = "API token (env KAIROS_TOKEN; default: the file <state-dir>/admin.token).")
  String token;

  @Option(
      names = "--state-dir",
      defaultValue = "${env:KAIROS_STATE_DIR:-.kairos}",
      description = "State directory of a local server (default ${DEFAULT-VALUE}).")
  Path stateDir;

  @Mixin CaCertOption ca;

  @Option(
      names = {"-o", "--output"},
      defaultValue = "table",
      description = "table (default), json or yaml.")
  String output;

  @Option(
      names = {"-n", "--namespace"},
      defaultValue = "default",
      description = "Namespace of JOB when it has none (default ${DEFAULT-VALUE}).")
  public String namespace;

  /** The state directory of a local server (where its {@code admin.token} is). */
  public Path stateDir() {
    return stateDir;
  }

  public ApiClient client() {
    String url = server;
    if (url == null || url.isBlank()) {
      url = readFile(stateDir.resolve("server.url"));
    }
    if (url == null || url.isBlank()) {
      url = "http://127.0.0.1:7070";
    }
    String t = token;
    if (t == null || t.isBlank()) {
      t = readFile(stateDir.resolve("admin.token"));
    }
    return new ApiClient(url.trim(), t == null ? null : t.trim(), ca.sslContext());
  }

  private static String readFile(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file) : null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether the output is a table (for people) rather than json/yaml (for scripts). */
  public boolean table() {
    return output.equals("table");
  }

  /** Prints {@code node} as json or yaml; returns false when the output is a table. */
  public boolean printData(JsonNode node, PrintWriter out) {
    try {
      switch (output) {
        case "json" ->
            out.println(
                new ObjectMapper()
                    .enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(node));
        case "yaml" -> out.print(new ObjectMapper(new YAMLFactory()).writeValueAsString(node));
        case "table" -> {
          return false;
        }
        default ->
            throw new IllegalArgumentException(
                "--output: \"" + output + "\": use table, json or yaml");
      }
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
    out.flush();
    return true;
  }

  /** {@code ns/name} or {@code name} (in --namespace). */
  public String[] job(String ref) {
    int slash = ref.indexOf('/');
    return slash < 0
        ? new String[] {namespace, ref}
        : new String[] {ref.substring(0, slash), ref.substring(slash + 1)};
  }
}
