import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A tiny upstream API for the walk-throughs: answers every request with a JSON echo of what it received.
 * Run it with the JDK alone: {@code java docs/walkthrough/Upstream.java 9000}.
 */
public class Upstream {
    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 9000;
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/", exchange -> {
            String query = exchange.getRequestURI().getRawQuery();
            byte[] body = ("{\"method\":\"" + exchange.getRequestMethod() + "\",\"path\":\""
                    + exchange.getRequestURI().getRawPath() + "\",\"query\":\"" + (query == null ? "" : query)
                    + "\",\"forecast\":\"sunny\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        System.out.println("Upstream listening on http://127.0.0.1:" + port);
    }
}
