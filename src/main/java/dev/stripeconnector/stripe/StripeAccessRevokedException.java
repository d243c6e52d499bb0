package dev.stripeconnector.stripe;

/** Stripe says the platform no longer has access to the connected account (401/403). */
public class StripeAccessRevokedException extends RuntimeException {

    private final String code;
    private final String reason;

    public StripeAccessRevokedException(String code, String reason) {
        super("Stripe revoked the access: " + code, null, false, false);
        this.code = code;
        this.reason = reason;
    }

    public String code() {
        return code;
    }

    public String reason() {
        return reason;
    }
}
