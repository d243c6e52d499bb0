package dev.stripeconnector.stripe;

/**
 * Stripe could not give an answer: a network failure, a timeout, a 5xx, rate limiting (429) or
 * a body that is not what Stripe documents. The request may or may not have reached Stripe.
 */
public class StripeUnavailableException extends RuntimeException {

    private final String reason;
    private final boolean rateLimited;

    public StripeUnavailableException(String reason, Throwable cause) {
        this(reason, cause, false);
    }

    public StripeUnavailableException(String reason, Throwable cause, boolean rateLimited) {
        super("Stripe is unavailable: " + reason, cause, false, false);
        this.reason = reason;
        this.rateLimited = rateLimited;
    }

    /** Stripe is up but asked us to slow down (429): a 503 rather than a 502 for our callers. */
    public boolean rateLimited() {
        return rateLimited;
    }

    /** A short, secret-free reason such as {@code "HTTP 503"} or {@code "timeout"}. */
    public String reason() {
        return reason;
    }
}
