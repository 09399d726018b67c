package dev.kairos.server.api;

import dev.kairos.core.spec.Bounds;
import dev.kairos.core.spec.Quantities;
import io.javalin.http.Context;
import java.util.List;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Caps the body of every request before anything reads it: a manifest of 60 MB kept a server busy
 * for 100 s, and a body without end (chunked, no length) would never have ended. A request whose
 * {@code Content-Length} is past its cap is refused with a 413 once its token is checked ({@link
 * #refuseMarked}), its body unread; a body without a length is read through a counter that fails
 * the read one byte past the cap, which {@link ProblemMapper} answers with the same 413. Either way
 * the answer names the cap, the connection is closed after it, and nothing is stored.
 */
final class BodyLimit extends Handler.Wrapper {
  /**
   * What a request to the API takes: a manifest, an event, settings. A manifest of 1 MiB is some
   * thousands of tasks; {@code kairos apply} sends one document per request.
   */
  static final long API_MAX = Bounds.MANIFEST_BYTES_MAX;

  /**
   * What a call of the worker protocol ({@code /api/v1/worker/*}) takes: a batch of log chunks or
   * completions. A worker sends at most 2 Mi characters of them per call (see its Outbox), 12 MiB
   * even were every character escaped.
   */
  static final long WORKER_MAX = 16L << 20;

  /** The request attribute that marks a body past its cap (its cap, a Long). */
  private static final String PAST_CAP = "kairos.bodyPastCap";

  /** The cap of a request to {@code path}. */
  static long capOf(String path) {
    return path.startsWith("/api/v1/worker/") ? WORKER_MAX : API_MAX;
  }

  /** Thrown by a read one byte past the cap of a body sent without a length. */
  static final class TooLarge extends RuntimeException {
    private final long cap;

    TooLarge(long cap) {
      super("the body is more than " + Quantities.formatBytes(cap), null, false, false);
      this.cap = cap;
    }

    long cap() {
      return cap;
    }
  }

  /** The 413 for a body past {@code cap}; {@code length} is -1 when the body had no length. */
  static ApiException tooLarge(Context ctx, long length, long cap) {
    // the rest of the body is not read: the connection cannot carry another request
    ctx.header("Connection", "close");
    return new ApiException(
        413,
        "Request body too large",
        (length < 0
                ? "the body is more than " + Quantities.formatBytes(cap)
                : "the body is " + length + " bytes")
            + "; "
            + ctx.method()
            + " "
            + ctx.path()
            + " takes at most "
            + Quantities.formatBytes(cap),
        List.of());
  }

  /** A before-handler, after authentication: refuses a request marked past its cap. */
  static void refuseMarked(Context ctx) {
    if (ctx.req().getAttribute(PAST_CAP) instanceof Long cap) {
      throw tooLarge(ctx, ctx.req().getContentLengthLong(), cap);
    }
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    long cap = capOf(Request.getPathInContext(request));
    long length = request.getLength();
    if (length > cap) {
      request.setAttribute(PAST_CAP, cap);
    } else if (length < 0) {
      request = new Counted(request, cap);
    }
    return super.handle(request, response, callback);
  }

  /**
   * A request whose body is counted as it is read: the read one byte past the cap gets a failure in
   * place of the content, which the servlet layer throws to the reader.
   */
  private static final class Counted extends Request.Wrapper {
    private final long cap;
    private long read;

    Counted(Request request, long cap) {
      super(request);
      this.cap = cap;
    }

    @Override
    public Content.Chunk read() {
      Content.Chunk chunk = super.read();
      if (chunk != null && !Content.Chunk.isFailure(chunk)) {
        read += chunk.remaining();
        if (read > cap) {
          chunk.release();
          return Content.Chunk.from(new TooLarge(cap), true);
        }
      }
      return chunk;
    }
  }
}
