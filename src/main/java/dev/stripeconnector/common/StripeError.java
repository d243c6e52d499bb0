package dev.stripeconnector.common;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A refusal in Stripe's own error shape, {@code {"error":{"type","code","message","param"}}}, as the SDK route
 * answers it ({@link ProblemMapper#refusal}): Stripe's SDKs choose their exception class by the HTTP status
 * (401 authentication, 403 permission, 400 and 404 invalid request, 429 rate limit, anything else an API
 * error) and by {@code type}, so both are chosen as Stripe itself would answer the same refusal.
 *
 * @param error what Stripe's SDKs read
 */
@io.quarkus.runtime.annotations.RegisterForReflection(targets = {StripeError.class, StripeError.Detail.class})
public record StripeError(Detail error) {

    /**
     * @param type    Stripe's error type: {@code invalid_request_error}, {@code rate_limit_error} or {@code api_error}
     * @param code    Stripe's code where Stripe has one for the same refusal ({@code resource_missing},
     *                {@code account_invalid}, ...), else the service's problem type with '_' for '-'
     * @param message the problem's detail
     * @param param   the offending parameter or header, for a refusal of one
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Detail(String type, String code, String message, String param) {
    }

    /** The HTTP status Stripe would answer with; {@code problemStatus} unless Stripe uses another for the same refusal. */
    static int status(String slug, int problemStatus) {
        return switch (slug) {
            // Stripe answers a call for an account the key has no (more) access to with 403.
            case "not-connected", "reconnect-needed", "missing-credentials" -> 403;
            default -> problemStatus;
        };
    }

    static StripeError of(String slug, int status, Problem problem) {
        String type = status == 429 ? "rate_limit_error" : status >= 500 ? "api_error" : "invalid_request_error";
        String code = switch (slug) {
            case "not-found" -> "resource_missing";
            case "not-connected", "reconnect-needed" -> "account_invalid";
            case "validation" -> "parameter_invalid";
            default -> slug.replace('-', '_');
        };
        String param = problem.errors() == null || problem.errors().isEmpty() ? null : problem.errors().get(0).field();
        return new StripeError(new Detail(type, code, problem.detail(), param));
    }
}
