package dev.stripeconnector.common;

import java.time.Duration;
import java.util.List;

/**
 * A failure the caller should hear about as a specific problem: thrown by services, turned into
 * {@code application/problem+json} by {@link ProblemMapper} alone. The message is the problem's
 * {@code detail}: it speaks to the caller and never carries a secret.
 */
public abstract class DomainException extends RuntimeException {

    protected DomainException(String detail) {
        super(detail, null, false, false);
    }

    protected DomainException(String detail, Throwable cause) {
        super(detail, cause, false, false);
    }

    /** What kind of failure this is; the problem mapper decides what a caller sees for it. */
    public abstract Failure failure();

    /** For validation problems: one entry per offending field. */
    public List<Problem.FieldError> errors() {
        return null;
    }

    /** When retrying makes sense, how long to wait first ({@code Retry-After}). */
    public Duration retryAfter() {
        return null;
    }
}
