package dev.stripeconnector.common;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import dev.stripeconnector.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.persistence.OptimisticLockException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.WebApplicationException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.Json;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * The one place where failures become {@code application/problem+json}, and the one place that
 * chooses their HTTP status. Callers never see a stack trace, an exception class name or a
 * secret: unknown failures are logged here and answered with a generic 500, which is a bug.
 */
public class ProblemMapper {

    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

    @jakarta.inject.Inject
    AllowedMethods allowedMethods;
    private static final String TYPE_BASE = "https://stripe-connector.dev/problems/";
    /** How long a caller should wait before retrying while the database or Stripe is unavailable. */
    public static final Duration RETRY_AFTER_UNAVAILABLE = Duration.ofSeconds(5);

    /** The status, problem type and title of each failure. */
    public record Kind(int status, String slug, String title) {
    }

    public static Kind kind(Failure failure) {
        return switch (failure) {
            case INVALID_INPUT -> new Kind(400, "validation", "Invalid request");
            case MALFORMED_REQUEST -> new Kind(400, "bad-request", "Bad request");
            case MALFORMED_JSON -> new Kind(400, "malformed-json", "Malformed JSON");
            case UNAUTHORIZED -> new Kind(401, "unauthorized", "Unauthorized");
            case FORBIDDEN -> new Kind(403, "forbidden", "Forbidden");
            case PARTNER_DISABLED -> new Kind(403, "partner-disabled", "Partner disabled");
            case ALREADY_EXISTS -> new Kind(409, "already-exists", "Already exists");
            case INVALID_STATE -> new Kind(409, "invalid-state", "Not possible in the current state");
            case NOT_FOUND -> new Kind(404, "not-found", "Not found");
            case NOT_CONNECTED -> new Kind(409, "not-connected", "Not connected");
            case RECONNECT_NEEDED -> new Kind(409, "reconnect-needed", "Reconnect needed");
            case MISSING_CREDENTIALS -> new Kind(422, "missing-credentials", "Missing Stripe credentials");
            case SETTINGS_IN_USE -> new Kind(409, "settings-in-use", "Settings in use");
            case NOT_SUBSCRIBED -> new Kind(409, "not-subscribed", "Not subscribed");
            case CONCURRENT_CHANGE -> new Kind(409, "concurrent-change", "Concurrent change");
            case PLATFORM_KEY_REJECTED -> new Kind(409, "platform-key-rejected", "Platform key rejected");
            case PERMISSION_MISSING -> new Kind(409, "permission-missing", "Permission missing");
            case STRIPE_RATE_LIMITED -> new Kind(503, "stripe-rate-limited", "Stripe rate limit");
            case STRIPE_UNAVAILABLE -> new Kind(502, "stripe-unavailable", "Stripe unavailable");
            case STRIPE_NONSENSE -> new Kind(502, "stripe-unexpected-answer", "Unexpected answer from Stripe");
            case REFRESH_IN_PROGRESS -> new Kind(503, "refresh-in-progress", "Refresh in progress");
            case DATABASE_UNAVAILABLE -> new Kind(503, "service-unavailable", "Service unavailable");
            case WEBHOOKS_NOT_CONFIGURED -> new Kind(503, "webhooks-not-configured", "Webhooks not configured");
            case INVALID_SIGNATURE -> new Kind(400, "invalid-signature", "Invalid signature");
            case METHOD_NOT_ALLOWED -> new Kind(405, "method-not-allowed", "Method not allowed");
            case NOT_ACCEPTABLE -> new Kind(406, "not-acceptable", "Not acceptable");
            case PAYLOAD_TOO_LARGE -> new Kind(413, "payload-too-large", "Payload too large");
            case LENGTH_REQUIRED -> new Kind(411, "length-required", "Length required");
            case TOO_MANY_UPLOADS -> new Kind(429, "too-many-uploads", "Too many uploads");
            case UNSUPPORTED_MEDIA_TYPE -> new Kind(415, "unsupported-media-type", "Unsupported media type");
            case URI_TOO_LONG -> new Kind(414, "uri-too-long", "URI too long");
            case HEADERS_TOO_LARGE -> new Kind(431, "headers-too-large", "Request headers too large");
            case MISDIRECTED_REQUEST -> new Kind(421, "misdirected-request", "Misdirected request");
            case INTERNAL -> new Kind(500, "internal", "Internal error");
        };
    }

    /**
     * A refusal as its route's caller reads it: a problem ({@code application/problem+json}), but on the SDK route
     * ({@link ProxyRoutes#isSdk}) Stripe's own error shape ({@link StripeError}), so that Stripe's SDKs raise their
     * typed exceptions for the service's refusals as for Stripe's. The one place that chooses the shape: Quarkus
     * REST's answers pass through {@link #shapedForRoute}, the HTTP layer's through {@link #write}.
     */
    public record Refusal(int status, String contentType, Object body) {
    }

    public static Refusal refusal(String path, Problem problem) {
        if (!ProxyRoutes.isSdk(path)) {
            return new Refusal(problem.status(), Problem.MEDIA_TYPE, problem);
        }
        String slug = problem.type().toString().substring(problem.type().toString().lastIndexOf('/') + 1);
        int status = StripeError.status(slug, problem.status());
        return new Refusal(status, MediaType.APPLICATION_JSON, StripeError.of(slug, status, problem));
    }

    /** Answers {@code problem} from the HTTP layer (a guard, authentication), shaped for the request's route. */
    public static void write(RoutingContext ctx, Problem problem) {
        // A request URI that is not valid (refused for that very reason) has no normalized path to ask for.
        String path = HttpGuards.validUri(ctx.request().uri()) ? ctx.normalizedPath() : ctx.request().path();
        Refusal refusal = refusal(path, problem);
        ctx.response().setStatusCode(refusal.status()).putHeader(HttpHeaders.CONTENT_TYPE, refusal.contentType())
                .end(Json.encode(refusal.body()));
    }

    /** Every problem Quarkus REST answers (a mapper's, a resource's) leaves in its route's shape. */
    @ServerResponseFilter
    public void shapedForRoute(ContainerRequestContext request, ContainerResponseContext response) {
        if (response.getEntity() instanceof Problem problem && ProxyRoutes.isSdk(request.getUriInfo().getPath())) {
            Refusal refusal = refusal(request.getUriInfo().getPath(), problem);
            response.setStatus(refusal.status());
            response.setEntity(refusal.body(), null, MediaType.valueOf(refusal.contentType()));
        }
    }

    public static Problem problem(Failure failure, String detail, List<Problem.FieldError> errors) {
        Kind kind = kind(failure);
        return new Problem(URI.create(TYPE_BASE + kind.slug()), kind.title(), kind.status(), detail, errors);
    }

    public static Response response(Failure failure, String detail) {
        return response(failure, detail, null, null);
    }

    public static Response response(Failure failure, String detail, List<Problem.FieldError> errors, Duration retryAfter) {
        Problem problem = problem(failure, detail, errors);
        Response.ResponseBuilder builder = Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem);
        Duration wait = retryAfter != null ? retryAfter
                : failure == Failure.DATABASE_UNAVAILABLE ? RETRY_AFTER_UNAVAILABLE : null;
        if (wait != null) {
            builder.header("Retry-After", Math.max(1, wait.toSeconds()));
        }
        return builder.build();
    }

    @ServerExceptionMapper
    public Response domain(DomainException e) {
        if (e.failure() == Failure.INTERNAL) {
            LOG.error("Request failed", e);
            return response(Failure.INTERNAL, "The service could not complete the request");
        }
        return response(e.failure(), e.getMessage(), e.errors(), e.retryAfter());
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e) {
        String field = path(e);
        if (e instanceof UnrecognizedPropertyException) {
            return fieldProblem(field, "is not a known field");
        }
        if (!field.isEmpty() && e instanceof ValueInstantiationException vie
                && vie.getCause() instanceof IllegalArgumentException allowed) {
            // Our own enum creators and text checks say what is allowed.
            return fieldProblem(field, allowed.getMessage());
        }
        if (!field.isEmpty() && e instanceof JsonMappingException jme && jme.getCause() instanceof IllegalArgumentException allowed) {
            return fieldProblem(field, allowed.getMessage());
        }
        if (!field.isEmpty() && (e instanceof InvalidFormatException || e instanceof MismatchedInputException)) {
            return fieldProblem(field, "has a value of the wrong type or format");
        }
        if (e instanceof MismatchedInputException) {
            return response(Failure.MALFORMED_JSON, "The request body must be a JSON object");
        }
        return response(Failure.MALFORMED_JSON, "The request body is not valid JSON");
    }

    @ServerExceptionMapper
    public Response mismatchedInput(MismatchedInputException e) {
        // Quarkus REST has a mapper of its own for this type: this one keeps the answer problem+json.
        return json(e);
    }

    private static Response fieldProblem(String field, String message) {
        return response(Failure.INVALID_INPUT, field + " " + message, List.of(new Problem.FieldError(field, message)), null);
    }

    @ServerExceptionMapper
    public Response notAllowed(NotAllowedException e, UriInfo uri) {
        String allow = e.getResponse().getHeaderString("Allow");
        if (allow == null) {
            allow = allowedMethods.allowFor(uri.getPath());
        }
        Response problem = response(Failure.METHOD_NOT_ALLOWED, "This resource does not support the request's method"
                + (allow != null ? "; it answers " + allow : ""));
        return allow == null ? problem : Response.fromResponse(problem).header("Allow", allow).build();
    }

    /**
     * An authenticated caller without the role an operation needs: the answer names the operation, the role it
     * needs and where a key gets that role, so that whoever reads it knows which key to use instead.
     */
    @ServerExceptionMapper
    public Response forbidden(io.quarkus.security.ForbiddenException e, UriInfo uri, Request request, ResourceInfo resource) {
        // The route's template, never the path asked for: that may name another partner's ids.
        String operation = request.getMethod() + " " + template(resource).orElse("this operation");
        String role = requiredRole(resource);
        if (role == null) {
            return response(Failure.FORBIDDEN, "This key may not do " + operation + ": it lacks the role the operation needs");
        }
        return response(Failure.FORBIDDEN, operation + " needs the role '" + role + "', which this key does not have: "
                + whereToGet(role));
    }

    /** The operation's path as its resource declares it ({@code /api/v1/partners/{partnerId}/…}). */
    private static java.util.Optional<String> template(ResourceInfo resource) {
        if (resource == null || resource.getResourceMethod() == null) {
            return java.util.Optional.empty();
        }
        jakarta.ws.rs.Path type = resource.getResourceClass().getAnnotation(jakarta.ws.rs.Path.class);
        jakarta.ws.rs.Path method = resource.getResourceMethod().getAnnotation(jakarta.ws.rs.Path.class);
        String path = ((type == null ? "" : "/" + type.value()) + (method == null ? "" : "/" + method.value())).replaceAll("/+", "/");
        return path.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(path);
    }

    /** The role of the operation's {@code @RolesAllowed} (the method's, else its class's); the first when several are allowed. */
    private static String requiredRole(ResourceInfo resource) {
        if (resource == null || resource.getResourceMethod() == null) {
            return null;
        }
        RolesAllowed allowed = resource.getResourceMethod().getAnnotation(RolesAllowed.class);
        if (allowed == null) {
            allowed = resource.getResourceClass().getAnnotation(RolesAllowed.class);
        }
        return allowed == null || allowed.value().length == 0 ? null : allowed.value()[0];
    }

    private static String whereToGet(String role) {
        return switch (role) {
            case Roles.ADMIN -> "a key named in CONNECTOR_ADMIN_KEYS (partner default) or issued with the admin role by an operator"
                    + " (an operator key acts for no partner)";
            case Roles.CREDENTIALS_READER -> "a key named in CONNECTOR_CREDENTIAL_READERS (partner default) or issued with the"
                    + " credentials-reader role by an operator (an operator key acts for no partner)";
            case Roles.OPERATOR -> "an operator key (CONNECTOR_OPERATOR_KEYS); a partner's key never manages partners";
            case Roles.MAINTENANCE -> "an operator key (CONNECTOR_OPERATOR_KEYS) or a key named in CONNECTOR_ADMIN_KEYS";
            default -> "one of the partner's keys (CONNECTOR_API_KEYS for partner default, or a key an operator issued); an"
                    + " operator key reaches only /api/v1/partners and /api/v1/maintenance";
        };
    }

    @ServerExceptionMapper
    public Response optimisticLock(OptimisticLockException e) {
        return response(Failure.CONCURRENT_CHANGE, "Another request changed the same installation at the same moment; retry");
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        // Quarkus REST wraps body-reading failures; answer them as precisely as when thrown directly.
        if (status == 400 && e.getCause() instanceof JsonProcessingException json) {
            return json(json);
        }
        if (DatabaseFailures.isUnavailable(e)) {
            return databaseUnavailable();
        }
        return switch (status) {
            case 400 -> response(Failure.MALFORMED_REQUEST, "The request could not be read");
            case 401 -> response(Failure.UNAUTHORIZED, "Send an API key as 'Authorization: Bearer <api key>'");
            case 403 -> response(Failure.FORBIDDEN, "This API key may not do this");
            case 404 -> response(Failure.NOT_FOUND, "No such resource");
            case 405 -> response(Failure.METHOD_NOT_ALLOWED, "This resource does not support the request's method");
            case 406 -> response(Failure.NOT_ACCEPTABLE, "The service cannot produce the requested media type");
            case 413 -> response(Failure.PAYLOAD_TOO_LARGE, "The request body is too large");
            case 415 -> response(Failure.UNSUPPORTED_MEDIA_TYPE, "Send the request body as application/json");
            default -> {
                if (status >= 500) {
                    LOG.errorf(e, "Request failed with %d", status);
                    yield response(Failure.INTERNAL, "The service could not complete the request");
                }
                yield response(Failure.MALFORMED_REQUEST, "The request could not be handled (HTTP " + status + ")");
            }
        };
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        if (DatabaseFailures.isUnavailable(e)) {
            return databaseUnavailable();
        }
        if (DatabaseFailures.isConflict(e)) {
            return response(Failure.CONCURRENT_CHANGE, "The database refused the change because of another one at the same moment;"
                    + " nothing was changed. Retry");
        }
        if (callerLeft(e)) {
            // The caller closed the connection before its request arrived in full (nothing was done), or before
            // its answer's first byte: nobody is left to read an answer.
            LOG.debug("The caller closed the connection before its request was read or its answer began");
            return response(Failure.MALFORMED_REQUEST, "The request did not arrive in full");
        }
        LOG.error("Unexpected failure while handling a request", e);
        return response(Failure.INTERNAL, "The service could not complete the request");
    }

    private static boolean callerLeft(Throwable failure) {
        // CallerLeft: a streamed answer whose caller left before its first chunk was written.
        return Causes.any(failure, t -> t instanceof io.vertx.core.http.HttpClosedException || t instanceof CallerLeft
                || t.getClass() == java.nio.channels.ClosedChannelException.class);
    }

    private static Response databaseUnavailable() {
        LOG.warn("The database cannot be reached: answering 503");
        return response(Failure.DATABASE_UNAVAILABLE,
                "The service's database cannot be reached right now; nothing was changed. Retry in a few seconds");
    }

    private static String path(JsonProcessingException e) {
        if (e instanceof JsonMappingException jme) {
            return jme.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining(".")).replace(".[", "[");
        }
        return "";
    }
}
