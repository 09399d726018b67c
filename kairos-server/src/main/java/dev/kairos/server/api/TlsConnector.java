package dev.kairos.server.api;

import dev.kairos.core.tls.ServerIdentity;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The listening socket of a server with a certificate: HTTPS only, on the one port, so that no
 * token or secret ever crosses the network in clear, even by mistake. The key store is built in
 * memory from the PEM files; nothing is written to disk.
 */
final class TlsConnector {
  private TlsConnector() {}

  static ServerConnector create(
      Server server, HttpConfiguration http, ServerIdentity identity, String host, int port) {
    SslContextFactory.Server tls = new SslContextFactory.Server();
    tls.setKeyStore(identity.keyStore());
    tls.setKeyStorePassword(ServerIdentity.PASSWORD);
    HttpConfiguration https = new HttpConfiguration(http);
    // clients check that the certificate is for the address they dialled; a Host header the
    // certificate does not name (a port forward, a proxy's name for it) is no reason to refuse
    https.addCustomizer(new SecureRequestCustomizer(false));
    ServerConnector connector =
        new ServerConnector(
            server,
            new SslConnectionFactory(tls, HttpVersion.HTTP_1_1.asString()),
            new HttpConnectionFactory(https));
    connector.setHost(host);
    connector.setPort(port);
    return connector;
  }
}
