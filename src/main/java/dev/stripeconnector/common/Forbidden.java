package dev.stripeconnector.common;

/** The caller is authenticated but may not do this. */
public class Forbidden extends DomainException {

    public Forbidden(String detail) {
        super(detail);
    }

    @Override
    public Failure failure() {
        return Failure.FORBIDDEN;
    }
}
