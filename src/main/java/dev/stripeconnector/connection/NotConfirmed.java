package dev.stripeconnector.connection;

import dev.stripeconnector.common.DomainException;
import dev.stripeconnector.common.Failure;
import java.time.Duration;

/** Stripe did not confirm what the call needed (a disconnect, a concurrent refresh); nothing was changed. */
public class NotConfirmed extends DomainException {

    private final Failure failure;
    private final Duration retryAfter;

    public NotConfirmed(String detail, Failure failure, Duration retryAfter) {
        super(detail);
        this.failure = failure;
        this.retryAfter = retryAfter;
    }

    @Override
    public Failure failure() {
        return failure;
    }

    @Override
    public Duration retryAfter() {
        return retryAfter;
    }
}
