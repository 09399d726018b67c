package dev.kairos.cli;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/**
 * {@code --log-format text|json} for the long-running commands (up, server, worker). JSON writes
 * one object per line to stderr: timestamp (epoch ms), level, thread, logger, the formatted
 * message, the MDC (a worker's lines about an attempt carry {@code run}, {@code attempt}, {@code
 * job} and {@code task}) and the exception if any: what a log collector (Loki, Elasticsearch,
 * CloudWatch) indexes without parsing.
 */
final class LogOptions {
  enum Format {
    text,
    json
  }

  @Option(
      names = "--log-format",
      defaultValue = "${env:KAIROS_LOG_FORMAT:-text}",
      description =
          "Log lines on stderr as text (default) or json (one object per line, with run and"
              + " attempt ids). Env: KAIROS_LOG_FORMAT.")
  Format format;

  /** Switches the process's log output to the chosen format. */
  void apply() {
    if (format != Format.json
        || !(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    if (!(root.getAppender("STDERR") instanceof ConsoleAppender<ILoggingEvent> appender)) {
      return;
    }
    JsonEncoder encoder = new JsonEncoder();
    encoder.setContext(context);
    encoder.setWithSequenceNumber(false);
    encoder.setWithNanoseconds(false);
    encoder.setWithContext(false);
    encoder.setWithArguments(false);
    encoder.setWithMessage(false);
    encoder.setWithFormattedMessage(true);
    encoder.start();
    appender.stop();
    appender.setEncoder(encoder);
    appender.start();
  }
}
