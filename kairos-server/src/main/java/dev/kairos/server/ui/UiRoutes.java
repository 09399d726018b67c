package dev.kairos.server.ui;

import dev.kairos.server.api.Routes;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The web UI: static ES modules, a stylesheet and one page, served by every replica at {@code /}
 * with no build step. They hold no data and need no token; the page asks for one and sends it with
 * every API call. A strict Content-Security-Policy allows only this origin's scripts and styles.
 */
public final class UiRoutes implements Routes {
  private static final Map<String, String> FILES =
      Map.of(
          "index.html", "text/html; charset=utf-8",
          "style.css", "text/css; charset=utf-8",
          "app.js", "text/javascript; charset=utf-8",
          "api.js", "text/javascript; charset=utf-8",
          "pages.js", "text/javascript; charset=utf-8",
          "format.js", "text/javascript; charset=utf-8",
          "dag.js", "text/javascript; charset=utf-8",
          "charts.js", "text/javascript; charset=utf-8");
  private static final String CSP =
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

  private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

  @Override
  public void register(RoutesConfig app) {
    app.get("/", ctx -> serve(ctx, "index.html"));
    app.get("/ui/{file}", ctx -> serve(ctx, ctx.pathParam("file")));
  }

  private void serve(Context ctx, String file) {
    String type = FILES.get(file);
    if (type == null) {
      throw new NotFoundResponse("no such file: " + file);
    }
    byte[] body = cache.computeIfAbsent(file, UiRoutes::read);
    ctx.header("Content-Security-Policy", CSP)
        .header("X-Content-Type-Options", "nosniff")
        .header("Referrer-Policy", "no-referrer")
        .header("Cache-Control", "no-cache")
        .contentType(type)
        .result(body);
  }

  private static byte[] read(String file) {
    try (InputStream in = UiRoutes.class.getResourceAsStream("/ui/" + file)) {
      if (in == null) {
        throw new IllegalStateException("the UI file " + file + " is missing from the jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
