package dev.tollgate.aiproxy;

import java.net.InetAddress;
import java.util.concurrent.TimeoutException;

import dev.tollgate.gateway.Upstream;
import dev.tollgate.platform.NetworkAddresses;
import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.impl.VertxInternal;
import io.vertx.core.net.SocketAddress;

/**
 * How every call to a model channel is made, shared by the proxy's calls and the admin's probes: the channel's
 * address (resolved and refused when internal unless private upstreams are allowed), its credentials in its
 * provider's way, the timeouts, and what a failure to get an answer means.
 */
public final class ChannelWire {

    /** The Anthropic API version sent when the caller named none. */
    public static final String ANTHROPIC_VERSION = "2023-06-01";

    private ChannelWire() {
    }

    /** No answer from a channel: 502 (refused host, connection failed) or 504 (timed out), and why. */
    public record Failure(int status, String reason) {
    }

    /**
     * The address to connect to: null when private upstreams are allowed (connect by name), else the resolved
     * address, refused with a {@link Failure}-carrying exception when it cannot be resolved or is internal.
     */
    public static Future<InetAddress> resolve(Vertx vertx, Upstream upstream, boolean allowPrivate) {
        if (allowPrivate) {
            return Future.succeededFuture(null);
        }
        Promise<InetAddress> resolved = Promise.promise();
        ((VertxInternal) vertx).resolveAddress(upstream.host(), resolved);
        return resolved.future()
                .recover(
                        e -> Future.failedFuture(new Refused("the host " + upstream.host() + " could not be resolved")))
                .compose(address -> NetworkAddresses.isInternal(address)
                        ? Future.failedFuture(new Refused("the host resolves to an internal address ("
                                + address.getHostAddress() + "); upstreams must be public unless "
                                + "TOLLGATE_ALLOW_PRIVATE_UPSTREAMS=true"))
                        : Future.succeededFuture(address));
    }

    /** A channel whose host may not be called. */
    public static final class Refused extends RuntimeException {
        public Refused(String message) {
            super(message, null, false, false);
        }
    }

    /** Adds the channel's credentials the way its provider takes them, and Anthropic's version header. */
    public static MultiMap credentials(MultiMap headers, ModelRoute.Channel channel, String anthropicVersion) {
        if (channel.provider() == AiProvider.ANTHROPIC) {
            headers.add("anthropic-version", anthropicVersion == null ? ANTHROPIC_VERSION : anthropicVersion);
            if (channel.apiKey() != null) {
                headers.add("x-api-key", channel.apiKey());
            }
        } else if (channel.apiKey() != null) {
            headers.add("Authorization", "Bearer " + channel.apiKey());
        }
        return headers;
    }

    /** A request to {@code path} under the channel's base URL, at {@code address} when given, with the timeouts. */
    public static RequestOptions options(ModelRoute.Channel channel, HttpMethod method, String path, MultiMap headers,
            InetAddress address, AiConfig config) {
        Upstream upstream = channel.upstream();
        long timeout = config.upstreamTimeout().toMillis();
        RequestOptions options = new RequestOptions().setMethod(method).setHost(upstream.host())
                .setPort(upstream.port()).setSsl(upstream.ssl()).setURI(upstream.basePath() + path)
                .setConnectTimeout(Math.min(timeout, config.connectTimeout().toMillis())).setIdleTimeout(timeout)
                .setHeaders(headers);
        if (address != null) {
            options.setServer(SocketAddress.inetSocketAddress(upstream.port(), address.getHostAddress()));
        }
        return options;
    }

    /** What a failure to get an answer means for the caller. */
    public static Failure failure(Throwable cause, AiConfig config) {
        if (cause instanceof Refused refused) {
            return new Failure(502, refused.getMessage());
        }
        if (cause instanceof TimeoutException || cause instanceof ConnectTimeoutException) {
            return new Failure(504, "no answer within " + config.upstreamTimeout().toMillis() + " ms");
        }
        return new Failure(502, "could not connect or the connection closed (" + cause.getClass().getSimpleName()
                + ")");
    }
}
