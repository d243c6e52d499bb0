package dev.stripeconnector.stripe;

import dev.stripeconnector.common.DomainException;
import dev.stripeconnector.common.Failure;
import java.time.Duration;

/**
 * Every answer of Stripe that is not the success a call expected, in one closed set of kinds.
 * {@link StripeAnswers} is the one place that decides the kind; the rest of the code never sees
 * an HTTP status from Stripe.
 */
public class StripeFailure extends DomainException {

    /** What Stripe's answer means for the platform and the connection. */
    public enum Kind {
        /** 401: the platform's secret key is invalid, expired or rolled (or OAuth {@code invalid_client}). */
        PLATFORM_KEY_REJECTED,
        /** 403 permission error: the key, or the connection's scope, lacks a permission. */
        PERMISSION_MISSING,
        /** Stripe says the platform no longer has access to the account, and the platform key works. */
        ACCESS_REVOKED,
        /** OAuth refused the code or refresh token ({@code invalid_grant}, {@code invalid_request}, …). */
        GRANT_REFUSED,
        /** 429, with the wait Stripe asked for. */
        RATE_LIMITED,
        /** 5xx, a timeout, a reset or a refused connection: no usable answer. */
        UNAVAILABLE,
        /** A 2xx whose body is not what Stripe documents, values out of range, or an undocumented error. */
        NONSENSE
    }

    private final Kind kind;
    private final String code;
    private final String stripeMessage;
    private final Duration retryAfter;
    private final Boolean shouldRetry;
    private final boolean sent;

    StripeFailure(Kind kind, String code, String stripeMessage, String detail, Duration retryAfter, Boolean shouldRetry,
                  boolean sent) {
        super(detail);
        this.kind = kind;
        this.code = code;
        this.stripeMessage = stripeMessage;
        this.retryAfter = retryAfter;
        this.shouldRetry = shouldRetry;
        this.sent = sent;
    }

    public Kind kind() {
        return kind;
    }

    /** Stripe's own error code ({@code invalid_grant}, {@code account_invalid}, …), or a short reason of ours. */
    public String code() {
        return code;
    }

    /** Stripe's own words about the error, bounded and with anything key-like masked; may be null. */
    public String stripeMessage() {
        return stripeMessage;
    }

    /** Whether the request may have reached Stripe (false only when it provably never left). */
    public boolean sent() {
        return sent;
    }

    /** {@code Stripe-Should-Retry}, when Stripe sent it. */
    Boolean shouldRetry() {
        return shouldRetry;
    }

    @Override
    public Duration retryAfter() {
        return retryAfter;
    }

    @Override
    public Failure failure() {
        return switch (kind) {
            case PLATFORM_KEY_REJECTED -> Failure.PLATFORM_KEY_REJECTED;
            case PERMISSION_MISSING -> Failure.PERMISSION_MISSING;
            case ACCESS_REVOKED -> Failure.NOT_CONNECTED;
            case GRANT_REFUSED -> Failure.RECONNECT_NEEDED;
            case RATE_LIMITED -> Failure.STRIPE_RATE_LIMITED;
            case UNAVAILABLE -> Failure.STRIPE_UNAVAILABLE;
            case NONSENSE -> Failure.STRIPE_NONSENSE;
        };
    }

    /** Whether nothing about the connection can be learned from this answer (retrying later may help). */
    public boolean transientFailure() {
        return kind == Kind.RATE_LIMITED || kind == Kind.UNAVAILABLE || kind == Kind.NONSENSE;
    }
}
