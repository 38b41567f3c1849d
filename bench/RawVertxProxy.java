import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

/**
 * Reference point for bench/gateway.sh, not part of Tollgate: the least a Vert.x reverse proxy does (one event loop,
 * pooled keep-alive client, streamed bodies, no checks, no metering), on the same Vert.x as Tollgate. Usage:
 * {@code java -cp <tollgate libs> bench/RawVertxProxy.java <upstream port> <listen port>}.
 */
public class RawVertxProxy {

    public static void main(String[] args) {
        int upstreamPort = Integer.parseInt(args[0]);
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setPreferNativeTransport(true));
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
                new PoolOptions().setHttp1MaxSize(256));
        vertx.createHttpServer().requestHandler(request -> {
            request.pause();
            client.request(new RequestOptions().setMethod(request.method()).setHost("127.0.0.1")
                    .setPort(upstreamPort).setURI(request.uri())).onComplete(ready -> {
                        if (ready.failed()) {
                            request.response().setStatusCode(502).end();
                            return;
                        }
                        HttpClientRequest upstream = ready.result();
                        upstream.headers().setAll(request.headers());
                        upstream.response().onComplete(answer -> {
                            if (answer.failed()) {
                                request.response().setStatusCode(502).end();
                                return;
                            }
                            HttpClientResponse in = answer.result();
                            HttpServerResponse out = request.response();
                            out.setStatusCode(in.statusCode());
                            out.headers().setAll(in.headers());
                            in.handler(out::write);
                            in.endHandler(ignored -> out.end());
                        });
                        request.handler(upstream::write);
                        request.endHandler(ignored -> upstream.end());
                        request.resume();
                    });
        }).listen(Integer.parseInt(args[1]), "127.0.0.1");
    }
}
