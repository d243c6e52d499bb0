package dev.stripeconnector.stripe;

/**
 * Stripe refused an OAuth request with one of its documented errors ({@code invalid_grant},
 * {@code invalid_client}, …). Retrying the same request cannot succeed.
 */
public class StripeOAuthException extends RuntimeException {

    private final String error;
    private final String description;

    public StripeOAuthException(String error, String description) {
        super("Stripe refused the request: " + error, null, false, false);
        this.error = error;
        this.description = description;
    }

    /** Stripe's error code, e.g. {@code invalid_grant}. */
    public String error() {
        return error;
    }

    /** Stripe's explanation, for people. */
    public String description() {
        return description;
    }
}
