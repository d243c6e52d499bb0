package dev.stripeconnector.webhook;

import dev.stripeconnector.common.DomainException;
import dev.stripeconnector.common.Failure;

/** A webhook endpoint of a platform no installation brings. */
public class UnknownPlatform extends DomainException {

    public UnknownPlatform(String clientId) {
        super("No installation brings the platform " + clientId + ", so it has no webhook endpoint here");
    }

    @Override
    public Failure failure() {
        return Failure.NOT_FOUND;
    }
}
