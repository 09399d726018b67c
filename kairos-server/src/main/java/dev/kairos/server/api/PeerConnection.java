package dev.kairos.server.api;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.BufferUtil;

/**
 * Whether the client of a request being handled is still connected. A worker killed while its long
 * poll is open closes its connection (the kernel sends FIN for the dead process); the server only
 * learns of it when it reads, so this reads: without blocking, one byte, after the request body was
 * consumed. End of stream means the worker is gone. A byte means the client pipelined another
 * request, which workers never do; the byte cannot be given back, so the connection is then closed
 * after this response.
 */
final class PeerConnection {
  private PeerConnection() {}

  /**
   * A probe of the request's connection, read through Jetty's own request behind the servlet one.
   */
  static BooleanSupplier of(HttpServletRequest request, Runnable closeAfterResponse) {
    EndPoint endPoint =
        ServletContextRequest.getServletContextRequest(request)
            .getConnectionMetaData()
            .getConnection()
            .getEndPoint();
    return () -> stillOpen(endPoint, closeAfterResponse);
  }

  static boolean stillOpen(EndPoint endPoint, Runnable closeAfterResponse) {
    if (!endPoint.isOpen() || endPoint.isInputShutdown()) {
      return false;
    }
    try {
      int read = endPoint.fill(BufferUtil.allocate(1));
      if (read > 0) {
        closeAfterResponse.run();
      }
      return read >= 0;
    } catch (IOException e) {
      return false;
    }
  }
}
