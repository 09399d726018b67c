package dev.kairos.cli.serve;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options shared by {@code kairos up} and {@code kairos server}. */
public final class ServeOptions {
  @Option(
      names = "--host",
      defaultValue = "127.0.0.1",
      description = "Address to bind (default ${DEFAULT-VALUE}: this machine only).")
  public String host;

  @Option(
      names = "--port",
      defaultValue = "7070",
      description = "API port, 1 to 65535 (default ${DEFAULT-VALUE}; 0 picks a free one).")
  public int port;

  @Option(
      names = "--tls-cert",
      paramLabel = "FILE",
      description =
          "PEM file of the server's certificate, then the CA certificates that signed it: with"
              + " --tls-key, the API is served over HTTPS only.")
  public Path tlsCert;

  @Option(
      names = "--tls-key",
      paramLabel = "FILE",
      description =
          "PEM file of the certificate's private key, unencrypted (PKCS#8, PKCS#1 or EC); keep it"
              + " mode 0600.")
  public Path tlsKey;

  @Option(
      names = "--state-dir",
      defaultValue = "${env:KAIROS_STATE_DIR:-.kairos}",
      description =
          "Directory for the admin token and the SQLite database (default ${DEFAULT-VALUE}).")
  public Path stateDir;

  @Option(
      names = "--db",
      description =
          "JDBC URL of the store, e.g. jdbc:postgresql://host:5432/kairos?user=kairos"
              + " (default: SQLite at <state-dir>/kairos.db). Env: KAIROS_DB.",
      defaultValue = "${env:KAIROS_DB}")
  public String db;

  @Option(
      names = "--lease",
      defaultValue = "15s",
      description =
          "How long an attempt stays with a worker without a heartbeat before it is presumed lost"
              + " and retried: 1s to 1h (default ${DEFAULT-VALUE}).")
  public String lease;

  @Option(
      names = "--heartbeat",
      description =
          "How often workers renew their leases: 100ms up to, not including, --lease (default: a"
              + " third of --lease).")
  public String heartbeat;

  @Option(
      names = "--fire-ahead",
      defaultValue = "5s",
      description =
          "How long before their fire time the runs of concurrencyPolicy Allow jobs are created;"
              + " they cannot start before it. 0s to 5m; 0s creates every run at its fire time"
              + " (default ${DEFAULT-VALUE}).")
  public String fireAhead;

  @Option(
      names = "--retention",
      defaultValue = "30d",
      description =
          "How long ended runs (with their attempts and logs), finished alert deliveries and audit"
              + " entries are kept, whatever a job's spec.history keeps: 1h to 3650d (default"
              + " ${DEFAULT-VALUE}).")
  public String retention;

  @Option(
      names = "--alert-webhook",
      paramLabel = "[slack:]URL",
      description =
          "Where the alerts of jobs without webhooks of their own go (repeatable): a URL for a"
              + " JSON body, slack:URL for a Slack message.")
  public java.util.List<String> alertWebhooks = new java.util.ArrayList<>();

  @Option(
      names = "--alert-signing-key-file",
      paramLabel = "FILE",
      description =
          "The HMAC key that signs alert webhook requests (give every replica the same one);"
              + " default: alert-signing.key in the state directory, made on first start.")
  public Path alertSigningKeyFile;

  @Option(
      names = "--event-dedup-window",
      defaultValue = "24h",
      description =
          "How long an event's source and id are remembered: the same event again within it starts"
              + " nothing: 1s to 365d, and at most --retention (default ${DEFAULT-VALUE}).")
  public String eventDedupWindow;

  @Option(
      names = "--events-from",
      paramLabel = "URI",
      description =
          "Consume events from a broker (repeatable): amqp://user:pass@host:5672/vhost?queue=NAME"
              + " (RabbitMQ) or nats://host:4222?stream=NAME&subject=SUBJECT&durable=NAME (NATS"
              + " JetStream). A message is acknowledged once its event and runs are stored.")
  public java.util.List<String> eventsFrom = new java.util.ArrayList<>();
}
