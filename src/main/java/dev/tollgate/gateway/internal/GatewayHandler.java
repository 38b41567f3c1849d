package dev.tollgate.gateway.internal;

import java.time.Clock;
import java.util.List;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;

import dev.tollgate.gateway.CallCharging;
import dev.tollgate.gateway.GatewayConfig;
import dev.tollgate.gateway.GatewayState;
import dev.tollgate.gateway.HostedUpstream;
import dev.tollgate.gateway.UsageEvent;
import dev.tollgate.gateway.UsageSink;
import dev.tollgate.platform.Money;
import dev.tollgate.platform.ProblemException;
import dev.tollgate.platform.Problems;
import dev.tollgate.platform.RequestIds;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The one entry point of the gateway, {@code ANY /gw/{slug}/{path…}}. Each call runs, in order:
 * <ol>
 * <li>request id and {@code X-Process-Time} (the platform's router handler, before this one);</li>
 * <li>{@link KeyAuthentication}: the API key, its expiry and its owner's suspension (401);</li>
 * <li>{@link RouteResolution}: the API by slug, private ones only for their owner, subscribers and admins (404);</li>
 * <li>{@link AvailabilityCheck}: paused APIs (503);</li>
 * <li>{@link AccessCheck}: key scope, subscription and plan (403);</li>
 * <li>{@link BodyLimit}: a declared {@code Content-Length} over the API's body limit (413);</li>
 * <li>{@link RateLimiting}: the plan's rate limit and the tier's hourly cap (429, rate-limit headers);</li>
 * <li>{@link QuotaEnforcement}: the plan's monthly quota (429, quota headers);</li>
 * <li>{@link Pricing}: what the call costs (pay-per-call price, or overage beyond a subscription's included calls),
 * reserved from the consumer's credit through {@link CallCharging} (402);</li>
 * <li>{@link UpstreamProxy}: the call itself, streamed both ways, the body counted against its limit
 * (413/502/504); or for a hosted API {@link HostedDispatch}, which hands it to the code's runtime;</li>
 * <li>one {@link UsageEvent} to the {@link UsageSink} once the response is done, for every call that got as far as
 * a known API and key.</li>
 * </ol>
 * A call refused after it took limit units (rate limit, tier cap, quota, included calls) gives them back
 * ({@link CallContext#giveBack()}). A reserved price is charged when the upstream answered (status line received,
 * below 500), also when the client then goes away before the last byte; it is released when the upstream did not
 * answer, answered 5xx, failed mid-response, or the body went over its limit. Steps 2–8 read the in-memory
 * {@link GatewayState} only; nothing here touches the database or blocks. Time comes from the injected {@link Clock}.
 */
@ApplicationScoped
class GatewayHandler implements Handler<RoutingContext> {

    static final String PREFIX = "/gw/";

    private final GatewayState state;
    private final UsageSink usage;
    private final CallCharging charging;
    private final List<GatewayProcessor> processors;
    private final UpstreamProxy proxy;
    private final HostedDispatch hosted;
    private final HttpClient client;
    private final Vertx vertx;
    private final GatewayLimits limits;
    private final Clock clock;
    private long evictionTimer = -1;

    GatewayHandler(GatewayState state, UsageSink usage, CallCharging charging, GatewayLimits limits,
            GatewayConfig config, Vertx vertx, Clock clock, Instance<HostedUpstream> hostedUpstream) {
        this.state = state;
        this.clock = clock;
        this.usage = usage;
        this.charging = charging;
        this.vertx = vertx;
        this.limits = limits;
        this.processors = List.of(new KeyAuthentication(), new RouteResolution(), new AvailabilityCheck(),
                new AccessCheck(), new BodyLimit(config.maxRequestBodySize().asLongValue()), limits.rateLimiting,
                limits.quotas, limits.pricing);
        this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setKeepAliveTimeout(60)
                .setTcpNoDelay(true).setPipelining(false).setDecompressionSupported(false)
                .setMaxInitialLineLength(8192).setVerifyHost(true),
                new PoolOptions().setHttp1MaxSize(config.maxConnectionsPerUpstream()).setMaxWaitQueueSize(-1));
        this.proxy = new UpstreamProxy(vertx, client, config.allowPrivateUpstreams(),
                config.connectTimeout().toMillis());
        this.hosted = new HostedDispatch(vertx, hostedUpstream.isResolvable() ? hostedUpstream.get() : null);
    }

    void install(@Observes Router router) {
        router.route(PREFIX + "*").order(-1_000).handler(this);
        evictionTimer = vertx.setPeriodic(60_000, ignored -> limits.evictEnded(clock.millis()));
    }

    @Override
    public void handle(RoutingContext context) {
        HttpServerRequest request = context.request();
        request.pause();
        long started = System.nanoTime();
        String uri = request.uri();
        int slugEnd = slugEnd(uri);
        String slug = slugEnd <= PREFIX.length() ? "" : uri.substring(PREFIX.length(), slugEnd);
        String pathAndQuery = slugEnd >= uri.length()
                ? "/"
                : uri.charAt(slugEnd) == '?'
                        ? "/" + uri.substring(slugEnd)
                        : uri.substring(slugEnd);
        if (slug.isEmpty()) {
            reject(context, null, Problems.ofStatus(404, "Name an API: /gw/{slug}/{path}."), started);
            return;
        }
        if (hasDotSegment(pathAndQuery)) {
            reject(context, null, Problems.ofStatus(400, "The path must not contain '.' or '..' segments."),
                    started);
            return;
        }
        CallContext call = new CallContext(slug, request::getHeader, clock.millis(), state);
        for (GatewayProcessor processor : processors) {
            ProblemException problem = processor.apply(call);
            if (problem != null) {
                reject(context, call, problem, started);
                return;
            }
        }
        long price = call.priceMicros;
        if (price <= 0) {
            dispatch(context, call, pathAndQuery, started, 0);
            return;
        }
        charging.reserve(call.key.ownerId(), price, vertx.getOrCreateContext(),
                refusal -> afterReservation(context, call, pathAndQuery, started, price, refusal));
    }

    private void afterReservation(RoutingContext context, CallContext call, String pathAndQuery, long started,
            long price, CallCharging.Refusal refusal) {
        if (refusal == CallCharging.Refusal.NOT_ENOUGH_CREDIT) {
            reject(context, call, new ProblemException(402, "Payment Required", "Not enough credit: a call to '"
                    + call.api.slug() + "' costs " + Money.fromMicros(price) + " and your wallet does not cover it;"
                    + " see GET /api/v1/users/me/credits."), started);
        } else if (refusal != null) {
            reject(context, call, new ProblemException(503, "Service Unavailable",
                    "Your credit could not be checked right now; try again shortly."), started);
        } else if (context.response().closed()) {
            call.giveBack();
            charging.release(call.key.ownerId(), price);
        } else {
            dispatch(context, call, pathAndQuery, started, price);
        }
    }

    /**
     * Proxies the call; a reserved price is charged when the upstream answered below 500 (even if the client left
     * before the end), released otherwise.
     */
    private void dispatch(RoutingContext context, CallContext call, String pathAndQuery, long started, long price) {
        UpstreamProxy.Completion completion = outcome -> {
            if (outcome.refusedByTheGateway()) {
                call.giveBack();
            }
            if (price > 0) {
                if (outcome.charged()) {
                    charging.settle(new CallCharging.Charge(RequestIds.generateOrdered(), RequestIds.of(context),
                            call.key.ownerId(), call.api.ownerId(), call.api.id(), call.plan.id(), price));
                } else {
                    charging.release(call.key.ownerId(), price);
                }
            }
            record(context, call, outcome.status(), outcome.upstreamLatencyMs(), outcome.bytesIn(),
                    outcome.bytesOut(), started, true);
        };
        if (call.api.hosted()) {
            hosted.dispatch(context, call, pathAndQuery, completion);
        } else {
            proxy.dispatch(context, call, pathAndQuery, completion);
        }
    }

    private void reject(RoutingContext context, CallContext call, ProblemException problem, long started) {
        context.request().resume();
        if (call != null) {
            call.giveBack();
            putHeaders(context.response(), call);
        }
        Problems.write(context, problem);
        if (call != null && call.key != null && call.api != null) {
            record(context, call, problem.status(), -1, 0, 0, started, false);
        } else {
            usage.unattributed(problem.status());
        }
    }

    private void record(RoutingContext context, CallContext call, int status, int upstreamLatencyMs, long bytesIn,
            long bytesOut, long started, boolean dispatched) {
        String uri = context.request().uri();
        int query = uri.indexOf('?');
        String path = query < 0 ? uri : uri.substring(0, query);
        usage.offer(new UsageEvent(RequestIds.of(context), call.api.id(), call.key.ownerId(), call.key.id(),
                call.plan == null ? null : call.plan.id(), context.request().method().name(),
                path.length() > 512 ? path.substring(0, 512) : path, status,
                (int) ((System.nanoTime() - started) / 1_000_000), upstreamLatencyMs, bytesIn, bytesOut,
                call.nowMillis, dispatched, usage.countryOf(context.request()), null));
    }

    static void putHeaders(HttpServerResponse response, CallContext call) {
        List<String> headers = call.responseHeaders;
        for (int i = 0; i < headers.size(); i += 2) {
            response.headers().set(headers.get(i), headers.get(i + 1));
        }
    }

    /** Index just past the slug in {@code /gw/{slug}/...}: the next '/' or '?', or the end. */
    static int slugEnd(String uri) {
        for (int i = PREFIX.length(); i < uri.length(); i++) {
            char c = uri.charAt(i);
            if (c == '/' || c == '?') {
                return i;
            }
        }
        return uri.length();
    }

    static boolean hasDotSegment(String pathAndQuery) {
        if (pathAndQuery.indexOf('.') < 0 && pathAndQuery.indexOf('%') < 0) {
            return false;
        }
        int end = pathAndQuery.indexOf('?');
        String path = (end < 0 ? pathAndQuery : pathAndQuery.substring(0, end)).replace("%2e", ".").replace("%2E",
                ".");
        for (String segment : path.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                return true;
            }
        }
        return false;
    }

    @PreDestroy
    void stop() {
        if (evictionTimer >= 0) {
            vertx.cancelTimer(evictionTimer);
        }
        client.close();
    }
}
