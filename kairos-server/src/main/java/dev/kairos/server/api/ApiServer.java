package dev.kairos.server.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kairos.core.tls.ServerIdentity;
import dev.kairos.server.audit.AuditTrail;
import dev.kairos.server.auth.AuthException;
import dev.kairos.server.auth.Namespaces;
import dev.kairos.server.auth.RouteTable;
import dev.kairos.server.auth.TokenAuthenticator;
import dev.kairos.server.metrics.MetricsApi;
import dev.kairos.store.TokenRecord;
import io.javalin.Javalin;
import io.javalin.config.JettyConfig;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.json.JavalinJackson;
import io.javalin.util.JavalinException;
import java.time.Duration;
import java.util.List;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP surface: REST API under {@code /api/v1}, Prometheus metrics at {@code /metrics}, the
 * open health check, error mapping.
 */
public final class ApiServer {
  private static final Logger log = LoggerFactory.getLogger(ApiServer.class);

  private final Javalin app;

  /**
   * Counts the requests in flight, which is what lets Jetty stop gracefully: on stop it closes the
   * listening socket, answers new requests on open connections with 503, and waits (up to the stop
   * timeout) for this count to reach zero before closing connections.
   */
  private final GracefulHandler requests = new GracefulHandler();

  private final List<String> routeKeys = new java.util.concurrent.CopyOnWriteArrayList<>();

  /**
   * @param drainTimeout on {@link #stop}, how long requests in flight may take to finish
   * @param tls the certificate and key to serve HTTPS with; null serves plain HTTP
   * @param routes the API's features, each with its own routes
   */
  public ApiServer(
      Duration drainTimeout,
      ServerIdentity tls,
      ObjectMapper mapper,
      TokenAuthenticator auth,
      MetricsApi metrics,
      AuditTrail audit,
      List<Routes> routes) {
    this.app =
        Javalin.create(config -> {
          config.concurrency.useVirtualThreads = true;
          config.startup.showJavalinBanner = false;
          // the server is built before it starts, and a test may build one it never starts
          config.startup.startupWatcherEnabled = false;
          config.startup.showOldJavalinVersionWarning = false;
          config.jsonMapper(new JavalinJackson(mapper, true));
          // BodyLimit caps each request by its path; this is only Javalin's own backstop
          config.http.maxRequestSize = BodyLimit.WORKER_MAX;
          // every route must have a decision in the route table: refuse to start without one
          config.events.handlerAdded(meta -> {
            String method = meta.getHttpMethod().name();
            if (meta.getHttpMethod().isHttpMethod()
                && !RouteTable.decides(method, meta.getPath())) {
              throw new IllegalStateException(
                  "route "
                      + method
                      + " "
                      + meta.getPath()
                      + " has no decision in RouteTable: add it to OPEN or PROTECTED");
            }
            if (meta.getHttpMethod().isHttpMethod()) {
              routeKeys.add(RouteTable.key(method, meta.getPath()));
            }
          });
          // Javalin nests its own handlers inside the innermost handler wrapper set here
          config.jetty.modifyServer(server -> {
            requests.setHandler(new BodyLimit());
            server.setHandler(requests);
            server.setStopTimeout(drainTimeout.toMillis());
            server.setErrorHandler(new ProtocolErrors(mapper));
          });
          if (tls != null) {
            JettyConfig jetty = config.jetty;
            // read at start, when the host and port are known
            config.jetty.addConnector(
                (server, http) -> TlsConnector.create(server, http, tls, jetty.host, jetty.port));
          }
          // the rest of a body a handler did not read (a refusal before it) is read and dropped as
          // far as it has arrived, as Jetty 11 did, so that the connection stays usable; Jetty 12
          // reads 16 buffers of it, then closes the connection while the client may still send
          config.jetty.modifyHttpConfiguration(
              http -> http.setMaxUnconsumedRequestContentReads(-1));
          register(config.routes, mapper, auth, metrics, audit, routes);
        });
  }

  private static void register(
      RoutesConfig app,
      ObjectMapper mapper,
      TokenAuthenticator auth,
      MetricsApi metrics,
      AuditTrail audit,
      List<Routes> routes) {
    ProblemMapper problems = new ProblemMapper(mapper);
    problems.register(app);
    // first: requests refused by authorization are timed too
    metrics.register(app);
    app.get("/healthz", ctx -> ctx.json(java.util.Map.of("status", "ok")));
    app.before("/api/*", ctx -> authenticate(auth, ctx));
    app.before("/metrics", ctx -> authenticate(auth, ctx));
    // once the route is known: its template says what the token needs
    app.beforeMatched(ApiServer::authorize);
    // after the token check: a caller without a token learns nothing of the caps
    app.before(BodyLimit::refuseMarked);
    audit.register(app);
    routes.forEach(r -> r.register(app));
    app.after(ApiServer::readTheRest);
  }

  /**
   * Reads and drops what is left of a body the route did not read (a cancel ignores its body, a
   * refusal answers before reading it), within the route's cap, so that the connection can carry
   * the client's next request. Jetty 12 reads only what has already arrived and then closes the
   * connection, while the client may still be sending: its write then fails and the answer is lost
   * (the API fuzz saw "header parser received no bytes"). A caller without a valid token (401) and
   * a body past its cap (413) get no such reading: their connection closes.
   */
  private static void readTheRest(Context ctx) {
    int status = ctx.statusCode();
    if (status == 401 || status == 413 || ctx.attribute("token") == null) {
      return;
    }
    try {
      ctx.req().getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
    } catch (java.io.IOException | RuntimeException e) {
      // the client went away, or the body ran past its cap: the connection closes after this
    }
  }

  private static void authenticate(TokenAuthenticator auth, Context ctx) {
    ctx.attribute("token", auth.authenticate(ctx.header("Authorization")));
  }

  private static void authorize(Context ctx) {
    String method = ctx.method().name();
    String route = ctx.endpoints().matchedHttpEndpoint().path;
    if (RouteTable.OPEN.contains(RouteTable.key(method, route))) {
      return;
    }
    TokenRecord token = ctx.attribute("token");
    if (token == null) {
      throw new AuthException(401, "missing bearer token: send 'Authorization: Bearer <token>'");
    }
    TokenAuthenticator.authorize(token, method, route);
    String namespace = ctx.pathParamMap().get("namespace");
    if (namespace != null) {
      Namespaces.check(ctx, namespace);
    }
  }

  /** Every route, {@code "METHOD /template"}, in the order added (for tests). */
  public List<String> routes() {
    return List.copyOf(routeKeys);
  }

  /** Starts listening; returns the bound port (useful with port 0). */
  public int start(String host, int port) {
    app.start(host, port);
    return app.port();
  }

  /** Requests being handled now. */
  public int requestsInFlight() {
    return (int) requests.getCurrentRequestCount();
  }

  /** Stops accepting requests, lets those in flight finish within the drain timeout, then stops. */
  public void stop() {
    try {
      app.stop();
    } catch (JavalinException e) {
      // Jetty has stopped all the same; it reports the requests it had to cut off this way
      log.warn("HTTP requests still in flight at the drain timeout were cut off: {}", e.toString());
    }
  }
}
