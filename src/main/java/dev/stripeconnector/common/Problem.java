package dev.stripeconnector.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.net.URI;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

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
@Schema(name = "Problem", description = "An RFC 9457 problem: what went wrong, in words a caller can act on")
public record Problem(
        @Schema(required = true, description = "names the kind of problem, e.g. …/problems/not-connected", example = "https://stripe-connector.dev/problems/validation") URI type,
        @Schema(required = true, example = "Invalid request") String title,
        @Schema(required = true, example = "400") int status,
        @Schema(required = true, example = "clientId must be a Stripe Connect client ID: 'ca_' followed by letters and digits") String detail,
        @Schema(description = "For validation problems: one entry per offending field") List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    /** One field that failed validation, and why. */
    @Schema(name = "FieldError")
    public record FieldError(@Schema(required = true, example = "clientId") String field,
                             @Schema(required = true, example = "must be a Stripe Connect client ID: 'ca_' followed by letters and digits") String message) {
    }
}
