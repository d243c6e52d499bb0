package dev.stripeconnector.stripe;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * The one retry policy for calls to Stripe: at most {@value #MAX_ATTEMPTS} attempts counted at
 * Stripe, full-jitter exponential backoff, {@code Stripe-Should-Retry} and {@code Retry-After}
 * honoured, and a total deadline after which the caller gets an answer whatever happens. Nothing
 * underneath retries on its own (the REST clients and the proxy's HTTP client send each request once).
 */
@ApplicationScoped
public class StripeRetry {

    static final int MAX_ATTEMPTS = 3;
    static final Duration BASE_DELAY = Duration.ofMillis(200);
    static final Duration MAX_DELAY = Duration.ofSeconds(2);
    static final Duration MIN_DELAY = Duration.ofMillis(20);

    /** When a request may be sent again. */
    public enum Resend {
        /** Idempotent (reads, deauthorize, POSTs with an Idempotency-Key): on 429, 5xx and no answer. */
        SAFE,
        /** Only when Stripe provably did not act on it: never sent, 429, or {@code Stripe-Should-Retry: true}. */
        IF_NOT_PROCESSED,
        /** Only when it provably never left (an authorization code must never reach Stripe twice). */
        IF_NOT_SENT
    }

    private final StripeConfig config;

    public StripeRetry(StripeConfig config) {
        this.config = config;
    }

    /** Runs {@code attempt} under the policy; fails with a {@link StripeFailure} only. */
    public <T> Uni<T> call(Supplier<Uni<? extends T>> attempt, Resend resend, Duration deadline) {
        long deadlineAt = System.nanoTime() + deadline.toNanos();
        return attempt(attempt, resend, 1, deadlineAt)
                .ifNoItem().after(deadline).failWith(() -> StripeAnswers.unavailable("no answer within " + deadline.toSeconds() + " s", true));
    }

    public Duration callDeadline() {
        return config.callDeadline();
    }

    private <T> Uni<T> attempt(Supplier<Uni<? extends T>> attempt, Resend resend, int number, long deadlineAt) {
        return Uni.createFrom().deferred(attempt)
                .onFailure().recoverWithUni(failure -> {
                    StripeFailure classified = StripeAnswers.transport(failure);
                    Duration delay = retryDelay(classified, resend, number, deadlineAt);
                    if (delay == null) {
                        return Uni.createFrom().failure(classified);
                    }
                    return Uni.createFrom().voidItem().onItem().delayIt().by(delay)
                            .flatMap(ignored -> attempt(attempt, resend, number + 1, deadlineAt));
                });
    }

    /** How long to wait before attempt {@code number + 1}, or null when there is none. */
    Duration retryDelay(StripeFailure failure, Resend resend, int number, long deadlineAt) {
        if (number >= MAX_ATTEMPTS || !retriable(failure, resend)) {
            return null;
        }
        Duration delay;
        if (failure.retryAfter() != null) {
            if (failure.retryAfter().compareTo(config.maxRetryAfter()) > 0) {
                return null;
            }
            // Retry-After: 0 means at once; a short pause keeps a hot loop off Stripe.
            delay = failure.retryAfter().compareTo(MIN_DELAY) < 0 ? MIN_DELAY : failure.retryAfter();
        } else {
            long ceiling = Math.min(MAX_DELAY.toMillis(), BASE_DELAY.toMillis() << (number - 1));
            delay = Duration.ofMillis(ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1));
        }
        return System.nanoTime() + delay.toNanos() < deadlineAt ? delay : null;
    }

    static boolean retriable(StripeFailure failure, Resend resend) {
        boolean transientKind = failure.kind() == StripeFailure.Kind.RATE_LIMITED || failure.kind() == StripeFailure.Kind.UNAVAILABLE
                || Boolean.TRUE.equals(failure.shouldRetry());
        if (!transientKind || Boolean.FALSE.equals(failure.shouldRetry())) {
            return false;
        }
        return switch (resend) {
            case SAFE -> true;
            case IF_NOT_PROCESSED -> !failure.sent() || failure.kind() == StripeFailure.Kind.RATE_LIMITED
                    || Boolean.TRUE.equals(failure.shouldRetry());
            case IF_NOT_SENT -> !failure.sent();
        };
    }
}
