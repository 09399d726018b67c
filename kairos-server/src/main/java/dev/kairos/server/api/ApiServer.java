package dev.kairos.server.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kairos.server.auth.TokenAuthenticator;
import dev.kairos.store.TokenRecord;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.json.JavalinJackson;

/** The HTTP surface: REST API under {@code /api/v1}, the open health check, error mapping. */
public final class ApiServer {
  private final Javalin app;

  public ApiServer(
      ObjectMapper mapper, TokenAuthenticator auth, JobsApi jobs, RunsApi runs, WorkerApi worker) {
    this.app =
        Javalin.create(config -> {
          config.useVirtualThreads = true;
          config.showJavalinBanner = false;
          config.jsonMapper(new JavalinJackson(mapper, true));
          config.http.maxRequestSize = 1_000_000L;
        });
    ProblemMapper problems = new ProblemMapper(mapper);
    problems.register(app);
    app.get("/healthz", ctx -> ctx.json(java.util.Map.of("status", "ok")));
    app.before("/api/*", ctx -> authorize(auth, ctx));
    jobs.register(app);
    runs.register(app);
    worker.register(app);
  }

  private static void authorize(TokenAuthenticator auth, Context ctx) {
    TokenRecord.Role needed =
        ctx.path().startsWith("/api/v1/worker/") ? TokenRecord.Role.WORKER : TokenRecord.Role.ADMIN;
    ctx.attribute("token", auth.authenticate(ctx.header("Authorization"), needed));
  }

  /** Starts listening; returns the bound port (useful with port 0). */
  public int start(String host, int port) {
    app.start(host, port);
    return app.port();
  }

  public void stop() {
    app.stop();
  }
}
