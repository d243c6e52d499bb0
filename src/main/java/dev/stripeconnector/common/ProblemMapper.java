package dev.stripeconnector.common;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one place where failures become {@code application/problem+json}. Callers never see a
 * stack trace, an exception class name or a secret: unknown failures are logged here and
 * answered with a generic 500.
 */
public class ProblemMapper {

    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);
    private static final String TYPE_BASE = "https://stripe-connector.dev/problems/";

    static URI type(String slug) {
        return URI.create(TYPE_BASE + slug);
    }

    public static Response response(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }

    public static Response response(int status, String slug, String title, String detail) {
        return response(new Problem(type(slug), title, status, detail, null));
    }

    @ServerExceptionMapper
    public Response apiProblem(ApiProblem problem) {
        return response(problem.toProblem());
    }

    @ServerExceptionMapper
    public Response constraintViolation(ConstraintViolationException e) {
        List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new Problem.FieldError(fieldName(v), v.getMessage()))
                .sorted(Comparator.comparing(Problem.FieldError::field))
                .toList();
        String detail = errors.stream().map(fe -> fe.field() + " " + fe.message())
                .collect(Collectors.joining("; "));
        return response(new Problem(type("validation"), "Invalid request", 400, detail, errors));
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e) {
        String field = path(e);
        if (e instanceof UnrecognizedPropertyException) {
            return fieldProblem(field, "is not a known field");
        }
        if (!field.isEmpty() && e instanceof ValueInstantiationException vie
                && vie.getCause() instanceof IllegalArgumentException allowed) {
            // Our own enum creators say which values are allowed.
            return fieldProblem(field, allowed.getMessage());
        }
        if (!field.isEmpty() && (e instanceof InvalidFormatException || e instanceof MismatchedInputException)) {
            return fieldProblem(field, "has a value of the wrong type or format");
        }
        if (e instanceof MismatchedInputException) {
            return response(400, "malformed-json", "Malformed JSON", "The request body must be a JSON object");
        }
        return response(400, "malformed-json", "Malformed JSON", "The request body is not valid JSON");
    }

    @ServerExceptionMapper
    public Response mismatchedInput(MismatchedInputException e) {
        // Quarkus REST has a mapper of its own for this type: this one keeps the answer problem+json.
        return json(e);
    }

    private static Response fieldProblem(String field, String message) {
        return response(new Problem(type("validation"), "Invalid request", 400, field + " " + message,
                List.of(new Problem.FieldError(field, message))));
    }

    @ServerExceptionMapper
    public Response notAllowed(NotAllowedException e) {
        Response original = e.getResponse();
        Response.ResponseBuilder builder = Response.status(405).type(Problem.MEDIA_TYPE)
                .entity(new Problem(type("method-not-allowed"), "Method not allowed", 405,
                        "This resource does not support the request's method", null));
        if (original.getHeaderString("Allow") != null) {
            builder.header("Allow", original.getHeaderString("Allow"));
        }
        return builder.build();
    }

    @ServerExceptionMapper
    public Response unsupportedMediaType(NotSupportedException e) {
        return response(415, "unsupported-media-type", "Unsupported media type",
                "Send the request body as application/json");
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        // Quarkus REST wraps body-reading failures; answer them as precisely as when thrown directly.
        if (status == 400 && e.getCause() instanceof JsonProcessingException json) {
            return json(json);
        }
        if (status >= 500) {
            LOG.errorf("Request failed with %d: %s", status, e.getClass().getSimpleName());
            return response(status, "internal", "Internal error", "The service could not complete the request");
        }
        Response.Status known = Response.Status.fromStatusCode(status);
        String title = known != null ? known.getReasonPhrase() : "Request failed";
        String detail = switch (status) {
            case 404 -> "No such resource";
            case 406 -> "The service cannot produce the requested media type";
            case 413 -> "The request body is too large";
            default -> title;
        };
        return response(status, slugOf(title), title, detail);
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        // Logged without the message of wrapped driver exceptions' SQL parameters being echoed to the caller.
        LOG.error("Unexpected failure while handling a request", e);
        return response(500, "internal", "Internal error", "The service could not complete the request");
    }

    private static String slugOf(String title) {
        return title.toLowerCase().replaceAll("[^a-z0-9]+", "-");
    }

    private static String path(JsonProcessingException e) {
        if (e instanceof com.fasterxml.jackson.databind.JsonMappingException jme) {
            return jme.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining(".")).replace(".[", "[");
        }
        return "";
    }

    private static String fieldName(ConstraintViolation<?> violation) {
        // Method-parameter paths look like "put.accountId" or "put.body.clientId": keep what a caller sent.
        String path = violation.getPropertyPath().toString();
        String[] parts = path.split("\\.");
        if (parts.length >= 3) {
            return String.join(".", java.util.Arrays.copyOfRange(parts, 2, parts.length));
        }
        return parts[parts.length - 1];
    }
}
