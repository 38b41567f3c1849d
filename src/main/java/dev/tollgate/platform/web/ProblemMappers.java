package dev.tollgate.platform.web;

import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

import jakarta.enterprise.inject.Instance;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.logging.Logger;
import org.jboss.logging.MDC;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import dev.tollgate.platform.ProblemException;
import dev.tollgate.platform.ProblemException.FieldError;
import dev.tollgate.platform.ProblemPages;
import dev.tollgate.platform.Problems;
import dev.tollgate.platform.RequestIds;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.core.http.HttpServerRequest;

/** Maps every exception that leaves a REST resource to a problem+json response. */
@jakarta.inject.Singleton
class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);
    /** Same strategy as {@code quarkus.jackson.property-naming-strategy}. */
    private static final PropertyNamingStrategies.NamingBase WIRE_NAMES = (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE;

    @ServerExceptionMapper
    Response problem(ProblemException problem, UriInfo uri) {
        return render(problem, uri);
    }

    @ServerExceptionMapper({AuthenticationFailedException.class, UnauthorizedException.class})
    Response unauthenticated(Exception e, UriInfo uri) {
        return render(authenticationProblem(e), uri);
    }

    /** The refusal's own problem when the token was presented and refused, else "a valid access token is required". */
    static ProblemException authenticationProblem(Throwable failure) {
        if (failure != null && failure.getCause() instanceof ProblemException problem) {
            return problem;
        }
        return ProblemException.unauthorized("A valid access token is required.");
    }

    @ServerExceptionMapper
    Response forbidden(ForbiddenException e, UriInfo uri) {
        return render(ProblemException.forbidden("You are not allowed to do this."), uri);
    }

    @ServerExceptionMapper
    Response invalid(ConstraintViolationException e, UriInfo uri) {
        List<FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new FieldError(fieldName(v), v.getMessage()))
                .sorted(Comparator.comparing(FieldError::field))
                .collect(Collectors.toList());
        return render(ProblemException.invalid(errors), uri);
    }

    @ServerExceptionMapper
    Response mismatchedJson(MismatchedInputException e, UriInfo uri) {
        String field = JsonInputErrors.fieldPath(e);
        if (e instanceof UnrecognizedPropertyException unknown) {
            return render(ProblemException.invalid(field, JsonInputErrors.unknownField(unknown)), uri);
        }
        if (field.isEmpty()) {
            return render(ProblemException.badRequest("The request body must be "
                    + JsonInputErrors.expected(e.getTargetType()) + "."), uri);
        }
        return render(ProblemException.invalid(field, "expected " + JsonInputErrors.expected(e.getTargetType())),
                uri);
    }

    @ServerExceptionMapper
    Response malformedJson(JsonProcessingException e, UriInfo uri) {
        if (e instanceof MismatchedInputException mismatched) {
            return mismatchedJson(mismatched, uri);
        }
        if (e instanceof JsonMappingException) {
            return render(ProblemException.badRequest("The request body does not have the expected JSON shape."),
                    uri);
        }
        return render(ProblemException.badRequest("The request body is not valid JSON: " + e.getOriginalMessage()),
                uri);
    }

    @ServerExceptionMapper
    Response web(WebApplicationException e, UriInfo uri) {
        Throwable cause = e.getCause();
        if (cause instanceof JsonProcessingException json) {
            return malformedJson(json, uri);
        }
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            LOG.errorf(e, "Request to %s failed", uri.getPath());
        }
        ProblemException problem = Problems.ofStatus(status, detailFor(e, status, uri));
        return render(problem, uri);
    }

    @ServerExceptionMapper
    Response unexpected(Exception e, UriInfo uri) {
        LOG.errorf(e, "Unhandled error on %s", uri.getPath());
        return render(Problems.ofStatus(500, "An unexpected error occurred; quote the request id when reporting it."),
                uri);
    }

    private static String detailFor(WebApplicationException e, int status, UriInfo uri) {
        return switch (status) {
            case 404 -> "No resource at " + uri.getPath() + ".";
            case 405 -> "The method is not allowed on " + uri.getPath() + ".";
            case 415 -> "Unsupported content type; this endpoint accepts application/json.";
            case 406 -> "None of the accepted media types can be produced.";
            default -> status >= 500 ? "An unexpected error occurred." : Problems.title(status) + ".";
        };
    }

    private static String fieldName(ConstraintViolation<?> violation) {
        // property paths look like "refresh.body.refreshToken": keep the last node, named as it is on the wire
        String path = violation.getPropertyPath().toString();
        int dot = path.lastIndexOf('.');
        return WIRE_NAMES.translate(dot >= 0 ? path.substring(dot + 1) : path);
    }

    private final Instance<ProblemPages> pages;
    private final CurrentVertxRequest request;

    ProblemMappers(Instance<ProblemPages> pages, CurrentVertxRequest request) {
        this.pages = pages;
        this.request = request;
    }

    private Response render(ProblemException problem, UriInfo uri) {
        String path = uri.getPath();
        if (ProblemPages.isPagePath(path) && pages.isResolvable() && request.getCurrent() != null) {
            HttpServerRequest http = request.getCurrent().request();
            Response page = pages.get().page(problem, path, http.getHeader("Accept"),
                    http.getHeader("HX-Request") != null);
            if (page != null) {
                return page;
            }
        }
        Object requestId = MDC.get(RequestIds.MDC_KEY);
        return Problems.response(problem, uri.getPath(), requestId == null ? null : requestId.toString());
    }

}
