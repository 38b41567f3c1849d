package dev.tollgate.platform;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/** Renders RFC 9457 problem bodies, for JAX-RS responses and for plain Vert.x responses alike. */
public final class Problems {

    public static final String MEDIA_TYPE = "application/problem+json";

    /**
     * Routing-context key of the problem that explains why a presented access token was refused (expired, invalid,
     * login ended), so whichever layer answers the 401 says the same.
     */
    public static final String AUTHENTICATION_PROBLEM = "tollgate.authentication-problem";

    private static final ObjectMapper JSON = new ObjectMapper();

    private Problems() {
    }

    public static String title(int status) {
        return HttpResponseStatus.valueOf(status).reasonPhrase();
    }

    public static Map<String, Object> body(ProblemException problem, String instance, String requestId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", problem.title());
        body.put("status", problem.status());
        body.put("detail", problem.detail());
        if (instance != null) {
            body.put("instance", instance);
        }
        if (requestId != null) {
            body.put("request_id", requestId);
        }
        body.putAll(problem.extensions());
        return body;
    }

    public static Response response(ProblemException problem, String instance, String requestId) {
        Response.ResponseBuilder builder = Response.status(problem.status())
                .type(MEDIA_TYPE)
                .entity(body(problem, instance, requestId));
        problem.headers().forEach(builder::header);
        return builder.build();
    }

    public static void write(HttpServerResponse response, ProblemException problem, String instance, String requestId) {
        String json;
        try {
            json = JSON.writeValueAsString(body(problem, instance, requestId));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        response.setStatusCode(problem.status());
        response.putHeader("Content-Type", MEDIA_TYPE);
        problem.headers().forEach(response::putHeader);
        response.end(json);
    }

    public static ProblemException ofStatus(int status, String detail) {
        return new ProblemException(status, title(status), detail);
    }

    /** Ends the Vert.x response with the problem, naming the request path and request id. */
    public static void write(RoutingContext context, ProblemException problem) {
        write(context.response(), problem, context.request().path(), RequestIds.of(context));
    }
}
