package dev.stripeconnector.security;

import dev.stripeconnector.common.DomainException;
import dev.stripeconnector.common.Failure;

/**
 * A presented key the service knows but does not accept now (revoked, expired, its partner disabled):
 * the caller is told which, as the key is theirs. {@link ApiKeyMechanism} answers it.
 */
final class KeyRefused extends DomainException {

    private final Failure failure;

    KeyRefused(Failure failure, String detail) {
        super(detail);
        this.failure = failure;
    }

    @Override
    public Failure failure() {
        return failure;
    }
}
