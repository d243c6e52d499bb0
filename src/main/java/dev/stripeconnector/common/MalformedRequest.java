package dev.stripeconnector.common;

/** A request that cannot be read as the contract describes (not a field error). */
public class MalformedRequest extends DomainException {

    public MalformedRequest(String detail) {
        super(detail);
    }

    @Override
    public Failure failure() {
        return Failure.MALFORMED_REQUEST;
    }
}
