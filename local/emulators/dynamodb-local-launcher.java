// Starts DynamoDB Local bound to one address. DynamoDB Local has no host option: its
// ServerRunner builds a Jetty Server that listens on every interface. This launcher builds the
// same server from the same command-line arguments, points its connectors at the host given in
// the `spotcheck.host` system property before starting it, and stops it when standard input
// closes, so the process never outlives the Node.js process that started it, even one that
// was killed outright.
import java.lang.reflect.Field;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

final class DynamoDbLocalLauncher {
  public static void main(String[] args) throws Exception {
    String host = System.getProperty("spotcheck.host", "127.0.0.1");
    DynamoDBProxyServer proxy = ServerRunner.createServerFromCommandLineArgs(args);
    Field field = DynamoDBProxyServer.class.getDeclaredField("server");
    field.setAccessible(true);
    Server server = (Server) field.get(proxy);
    for (Connector connector : server.getConnectors()) {
      if (!(connector instanceof ServerConnector)) {
        throw new IllegalStateException("unexpected Jetty connector " + connector.getClass());
      }
      ((ServerConnector) connector).setHost(host);
    }
    proxy.start();
    System.out.println("DynamoDB Local listening on " + host);
    while (System.in.read() != -1) {
      // Nothing is sent on stdin; end of input means the parent has gone.
    }
    proxy.stop();
    System.exit(0);
  }
}
