package dev.stripeconnector.stripe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smallrye.mutiny.Uni;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The one retry policy: how many attempts reach Stripe for each kind of answer, and the deadline. */
class StripeRetryTest {

    static StripeConfig config(Duration deadline) {
        return new StripeConfig() {
            public Duration callDeadline() {
                return deadline;
            }

            public Duration proxyDeadline() {
                return deadline;
            }

            public Duration maxRetryAfter() {
                return Duration.ofSeconds(2);
            }

            public int proxyMaxResponseBytes() {
                return 1024;
            }

            public java.net.URI uploadBase() {
                return java.net.URI.create("https://files.stripe.com");
            }

            public int uploadsInFlight() {
                return 2;
            }
        };
    }

    final StripeRetry retry = new StripeRetry(config(Duration.ofSeconds(10)));

    /** A Stripe that fails with each of {@code answers} in turn, then succeeds; counts the attempts. */
    static final class Script implements Supplier<Uni<? extends String>> {
        final Deque<RuntimeException> answers = new ArrayDeque<>();
        final AtomicInteger attempts = new AtomicInteger();

        Script(RuntimeException... failures) {
            for (RuntimeException failure : failures) {
                answers.add(failure);
            }
        }

        @Override
        public Uni<String> get() {
            attempts.incrementAndGet();
            RuntimeException next = answers.poll();
            return next == null ? Uni.createFrom().item("ok") : Uni.createFrom().failure(next);
        }
    }

    static StripeFailure status(int status, String retryAfter, String shouldRetry) {
        return StripeAnswers.apiError(status, "{}", retryAfter, shouldRetry);
    }

    static RuntimeException refused() {
        return new RuntimeException(new ConnectException("Connection refused"));
    }

    static RuntimeException timeout() {
        return new RuntimeException(new java.util.concurrent.TimeoutException("read timeout"));
    }

    String run(Script script, StripeRetry.Resend resend) {
        return retry.call(script, resend, Duration.ofSeconds(10)).await().atMost(Duration.ofSeconds(20));
    }

    @Test
    void safeCallsAreTriedAtMostThreeTimes() {
        Script script = new Script(status(500, null, null), status(503, null, null), status(502, null, null), status(500, null, null));
        assertThatThrownBy(() -> run(script, StripeRetry.Resend.SAFE)).isInstanceOf(StripeFailure.class);
        assertThat(script.attempts).hasValue(3);

        Script recovers = new Script(status(500, null, null), timeout());
        assertThat(run(recovers, StripeRetry.Resend.SAFE)).isEqualTo("ok");
        assertThat(recovers.attempts).hasValue(3);
    }

    @Test
    void stripeShouldRetryFalseStopsAtOnce() {
        Script script = new Script(status(503, null, "false"));
        assertThatThrownBy(() -> run(script, StripeRetry.Resend.SAFE)).isInstanceOf(StripeFailure.class);
        assertThat(script.attempts).hasValue(1);
    }

    @Test
    void refusalsThatSayNothingNewAreNotRetried() {
        for (StripeFailure answer : new StripeFailure[] {status(401, null, null), status(403, null, null),
                StripeAnswers.oauthError(400, "{\"error\":\"invalid_grant\"}", null, null), StripeAnswers.nonsense("junk")}) {
            Script script = new Script(answer);
            assertThatThrownBy(() -> run(script, StripeRetry.Resend.SAFE)).isSameAs(answer);
            assertThat(script.attempts).as(answer.kind().name()).hasValue(1);
        }
    }

    @Test
    void anAuthorizationCodeIsSentAgainOnlyWhenItProvablyNeverLeft() {
        Script neverLeft = new Script(refused(), refused());
        assertThat(run(neverLeft, StripeRetry.Resend.IF_NOT_SENT)).isEqualTo("ok");
        assertThat(neverLeft.attempts).hasValue(3);
        for (RuntimeException mayHaveLeft : new RuntimeException[] {timeout(), status(500, null, null), status(429, "0", "true"),
                new RuntimeException(new java.io.IOException("Connection reset"))}) {
            Script script = new Script(mayHaveLeft);
            assertThatThrownBy(() -> run(script, StripeRetry.Resend.IF_NOT_SENT)).isInstanceOf(StripeFailure.class);
            assertThat(script.attempts).as(mayHaveLeft.toString()).hasValue(1);
        }
    }

    @Test
    void aRefreshIsSentAgainOnlyWhenStripeProvablyDidNotActOnIt() {
        Script rateLimited = new Script(status(429, "0", null));
        assertThat(run(rateLimited, StripeRetry.Resend.IF_NOT_PROCESSED)).isEqualTo("ok");
        assertThat(rateLimited.attempts).hasValue(2);
        Script toldToRetry = new Script(status(500, null, "true"));
        assertThat(run(toldToRetry, StripeRetry.Resend.IF_NOT_PROCESSED)).isEqualTo("ok");
        assertThat(toldToRetry.attempts).hasValue(2);
        for (RuntimeException unknown : new RuntimeException[] {timeout(), status(500, null, null)}) {
            Script script = new Script(unknown);
            assertThatThrownBy(() -> run(script, StripeRetry.Resend.IF_NOT_PROCESSED)).isInstanceOf(StripeFailure.class);
            assertThat(script.attempts).hasValue(1);
        }
    }

    @Test
    void aRetryAfterLongerThanWeWaitIsHandedToTheCaller() {
        Script script = new Script(status(429, "30", null));
        assertThatThrownBy(() -> run(script, StripeRetry.Resend.SAFE))
                .isInstanceOfSatisfying(StripeFailure.class, f -> assertThat(f.retryAfter()).isEqualTo(Duration.ofSeconds(30)));
        assertThat(script.attempts).hasValue(1);
    }

    @Test
    void theDeadlineEndsACallThatHangs() {
        StripeRetry quick = new StripeRetry(config(Duration.ofMillis(300)));
        long started = System.nanoTime();
        assertThatThrownBy(() -> quick.call(() -> Uni.createFrom().<String>nothing(), StripeRetry.Resend.SAFE, Duration.ofMillis(300))
                .await().atMost(Duration.ofSeconds(5)))
                .isInstanceOfSatisfying(StripeFailure.class, f -> assertThat(f.kind()).isEqualTo(StripeFailure.Kind.UNAVAILABLE));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
    }
}
