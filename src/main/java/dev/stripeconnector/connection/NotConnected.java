package dev.stripeconnector.connection;

import dev.stripeconnector.common.DomainException;
import dev.stripeconnector.common.Failure;

/** The installation has no usable connection for the call. */
public class NotConnected extends DomainException {

    public NotConnected(String detail) {
        super(detail);
    }

    @Override
    public Failure failure() {
        return Failure.NOT_CONNECTED;
    }
}
