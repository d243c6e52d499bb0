package dev.stripeconnector.webhook;

import dev.stripeconnector.common.DomainException;
import dev.stripeconnector.common.Failure;

/** A webhook delivery whose signature does not verify: nothing in it is read. */
public class InvalidSignature extends DomainException {

    public InvalidSignature(String why) {
        super("The event was not accepted: " + why);
    }

    @Override
    public Failure failure() {
        return Failure.INVALID_SIGNATURE;
    }
}
