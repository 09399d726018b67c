package dev.kairos.server.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The errors Jetty answers itself, before a request reaches the API: a request it cannot parse, a
 * path it refuses (an encoded NUL), a 503 while the server stops. They get problem+json like every
 * other error, and {@code Connection: close}: Jetty closes the connection after them, and a client
 * not told so (Jetty 12 does not say it) sends its next request on the closed connection and gets
 * no answer at all.
 */
final class ProtocolErrors extends ErrorHandler {
  private final ObjectMapper mapper;

  ProtocolErrors(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  /** A problem body whatever the method: a PUT with a bad path deserves to learn why too. */
  @Override
  public boolean errorPageForMethod(String method) {
    return true;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
    return super.handle(request, response, callback);
  }

  @Override
  protected void generateResponse(
      Request request,
      Response response,
      int code,
      String message,
      Throwable cause,
      Callback callback)
      throws IOException {
    Problem problem =
        new Problem("about:blank", HttpStatus.getMessage(code), code, message, List.of());
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, Problem.MEDIA_TYPE);
    response.write(true, ByteBuffer.wrap(mapper.writeValueAsBytes(problem)), callback);
  }
}
