package dev.kairos.worker.http;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for a server replica on a loopback port: answers every worker endpoint with an empty
 * but well-formed reply (or with a fixed status), and records what it was sent.
 */
final class StubServer implements AutoCloseable {
  /** A request as received. */
  record Call(String method, String path, String body, String bearer) {}

  final List<Call> calls = new CopyOnWriteArrayList<>();
  private final HttpServer http;
  private volatile int status;
  private final java.util.concurrent.atomic.AtomicInteger enrolled =
      new java.util.concurrent.atomic.AtomicInteger();

  /** A bearer token answered with 401, as a revoked credential is. */
  volatile String revoked;

  private StubServer(int port, int status) throws IOException {
    this.status = status;
    this.http = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
    http.createContext(
        "/",
        exchange -> {
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          String path = exchange.getRequestURI().getPath();
          String auth = exchange.getRequestHeaders().getFirst("Authorization");
          String bearer = auth == null ? null : auth.substring("Bearer ".length());
          calls.add(new Call(exchange.getRequestMethod(), path, body, bearer));
          int answer = bearer != null && bearer.equals(revoked) ? 401 : this.status;
          String reply =
              answer != 200
                  ? "{\"detail\":\"stub says no\"}"
                  : path.equals("/api/v1/worker/enrol")
                      ? "{\"token\":\"cred-" + enrolled.incrementAndGet() + "\"}"
                      : reply(path);
          byte[] bytes = reply.getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(answer, bytes.length == 0 ? -1 : bytes.length);
          exchange.getResponseBody().write(bytes);
          exchange.close();
        });
    http.start();
  }

  /** A replica answering normally on a free port. */
  static StubServer start() throws IOException {
    return new StubServer(0, 200);
  }

  /** A replica answering every call with {@code status} (e.g. 503 while it stops). */
  static StubServer answering(int status) throws IOException {
    return new StubServer(0, status);
  }

  /** A replica on a given port, e.g. one that was down and comes back. */
  static StubServer on(int port) throws IOException {
    return new StubServer(port, 200);
  }

  /** The URL of a port nothing listens on: a replica that is down. */
  static String down() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return "http://127.0.0.1:" + s.getLocalPort();
    }
  }

  private static String reply(String path) {
    return switch (path) {
      case "/api/v1/worker/poll" -> "{\"assignments\":[]}";
      case "/api/v1/worker/config" -> "{\"leaseMillis\":9000,\"heartbeatIntervalMillis\":3000}";
      case "/api/v1/worker/heartbeat" -> "{\"cancel\":[],\"lost\":[7]}";
      default -> "";
    };
  }

  String url() {
    return "http://127.0.0.1:" + http.getAddress().getPort();
  }

  List<String> paths() {
    return calls.stream().map(Call::path).toList();
  }

  @Override
  public void close() {
    http.stop(0);
  }
}
