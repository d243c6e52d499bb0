package dev.stripeconnector.connection;

import dev.stripeconnector.common.DomainException;
import dev.stripeconnector.common.Failure;

/** Stripe refused the connection's refresh token: a person must connect the account again. */
public class ReconnectNeeded extends DomainException {

    public ReconnectNeeded(String detail) {
        super(detail);
    }

    @Override
    public Failure failure() {
        return Failure.RECONNECT_NEEDED;
    }
}
