package dev.tollgate.platform.web;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import dev.tollgate.platform.Durations;
import dev.tollgate.platform.ProblemException;
import dev.tollgate.platform.Problems;
import dev.tollgate.platform.RequestCounters;
import dev.tollgate.platform.RequestIds;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.ext.web.impl.RoutingContextInternal;

/**
 * Router-level behaviour for every request, before and around the REST layer:
 * <ol>
 * <li>request id: {@code X-Request-ID} echoed if sane, generated otherwise, put in the logging MDC;</li>
 * <li>{@code X-Process-Time} (milliseconds) on every response, and the response counted by status in
 * {@link RequestCounters};</li>
 * <li>body size limit under {@code /api} (413);</li>
 * <li>problem+json for everything the REST layer does not answer itself: unknown routes (404), failures raised
 * by Vert.x or the security layer (401/403/413/...), and unexpected errors (500).</li>
 * </ol>
 */
@ApplicationScoped
class HttpPipeline {

    private static final Logger LOG = Logger.getLogger(HttpPipeline.class);

    private final long apiMaxBodySize;
    private final BodyHandler streamedBodyLimit;
    private final RequestCounters counters;

    HttpPipeline(HttpConfig config, RequestCounters counters) {
        this.counters = counters;
        this.apiMaxBodySize = config.apiMaxBodySize().asLongValue();
        this.streamedBodyLimit = BodyHandler.create(false).setBodyLimit(apiMaxBodySize);
    }

    void install(@Observes Router router) {
        router.route().order(-10_000).handler(this::tagRequest).failureHandler(this::failure);
        router.route("/api/*").order(-9_000).handler(this::limitBody);
        router.route("/api/*").order(-8_999).handler(this::limitStreamedBody);
        router.route("/api/*").order(-8_998).handler(this::ensureStreamedBodyPresent);
        router.route().order(Integer.MAX_VALUE - 1).handler(this::notFound);
    }

    private void tagRequest(RoutingContext context) {
        long started = System.nanoTime();
        String incoming = context.request().getHeader(RequestIds.HEADER);
        String requestId = RequestIds.isSane(incoming) ? incoming : RequestIds.generate();
        context.put(RequestIds.CONTEXT_KEY, requestId);
        MDC.put(RequestIds.MDC_KEY, requestId);
        HttpServerResponse response = context.response();
        response.putHeader(RequestIds.HEADER, requestId);
        context.addHeadersEndHandler(ignored -> {
            response.putHeader("X-Process-Time", Durations.millis(System.nanoTime() - started));
            counters.record(response.getStatusCode());
        });
        context.next();
    }

    private void limitBody(RoutingContext context) {
        String length = context.request().getHeader("Content-Length");
        if (length != null) {
            long declared;
            try {
                declared = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                respond(context, Problems.ofStatus(400, "The Content-Length header is not a number."));
                return;
            }
            if (declared > apiMaxBodySize) {
                respond(context, tooLarge());
                return;
            }
        }
        context.next();
    }

    /** A body without a declared length is read here, failing with 413 as soon as it passes the limit. */
    private void limitStreamedBody(RoutingContext context) {
        if (isStreamed(context)) {
            streamedBodyLimit.handle(context);
        } else {
            context.next();
        }
    }

    /** The REST layer waits for body data unless a read body is present, so an empty one must be present too. */
    private void ensureStreamedBodyPresent(RoutingContext context) {
        if (isStreamed(context) && context.body().buffer() == null) {
            ((RoutingContextInternal) context).setBody(Buffer.buffer());
        }
        context.next();
    }

    private static boolean isStreamed(RoutingContext context) {
        return context.request().getHeader("Content-Length") == null
                && context.request().headers().contains("Transfer-Encoding", "chunked", true);
    }

    private ProblemException tooLarge() {
        return Problems.ofStatus(413, "The request body is larger than the limit of " + apiMaxBodySize + " bytes.");
    }

    private void notFound(RoutingContext context) {
        respond(context, Problems.ofStatus(404, "No resource at " + context.request().method() + " "
                + context.request().path() + "."));
    }

    private void failure(RoutingContext context) {
        if (context.response().ended()) {
            return;
        }
        if (context.response().headWritten()) {
            context.response().reset();
            return;
        }
        Throwable failure = context.failure();
        ProblemException problem;
        if (failure instanceof ProblemException p) {
            problem = p;
        } else if (failure instanceof AuthenticationFailedException || failure instanceof UnauthorizedException) {
            ProblemException refused = context.get(Problems.AUTHENTICATION_PROBLEM);
            problem = refused != null ? refused : ProblemMappers.authenticationProblem(failure);
        } else if (failure instanceof ForbiddenException) {
            problem = ProblemException.forbidden("You are not allowed to do this.");
        } else if (failure instanceof HttpException http) {
            problem = http.getStatusCode() == 413
                    ? tooLarge()
                    : Problems.ofStatus(http.getStatusCode(),
                            http.getPayload() != null ? http.getPayload() : Problems.title(http.getStatusCode()) + ".");
        } else if (failure == null && context.statusCode() >= 400) {
            int status = context.statusCode();
            problem = status == 413 ? tooLarge() : Problems.ofStatus(status, Problems.title(status) + ".");
        } else {
            LOG.errorf(failure, "Unhandled error on %s %s", context.request().method(), context.request().path());
            problem = Problems.ofStatus(500, "An unexpected error occurred; quote the request id when reporting it.");
        }
        respond(context, problem);
    }

    private static void respond(RoutingContext context, ProblemException problem) {
        Problems.write(context, problem);
    }
}
