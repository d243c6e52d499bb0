package dev.stripeconnector.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.net.URI;
import java.util.List;

/**
 * An RFC 9457 problem detail, the body of every error the API answers.
 *
 * @param type   a URI naming the kind of problem (relative to the service)
 * @param title  a short, fixed summary of the kind of problem
 * @param status the HTTP status
 * @param detail what went wrong with this request, in words a caller can act on
 * @param errors for validation problems: one entry per offending field
 */
// Written with Jackson outside of Quarkus REST too (HttpGuards): registered for the native image.
@io.quarkus.runtime.annotations.RegisterForReflection(targets = {Problem.class, Problem.FieldError.class})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(URI type, String title, int status, String detail, List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    /** One field that failed validation, and why. */
    public record FieldError(String field, String message) {
    }
}
