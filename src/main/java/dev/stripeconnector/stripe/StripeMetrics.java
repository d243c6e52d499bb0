package dev.stripeconnector.stripe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;

/**
 * What Stripe answered, per call, in the boundary's own classes: {@code connector_stripe_answers_total{call, class}}
 * counts each call's final answer (after StripeRetry's resends) as {@code ok} or the {@link StripeFailure.Kind} it was
 * classified as; the proxy, which passes Stripe's answers back as they came, counts {@code 2xx}/{@code 3xx}/{@code 4xx}/
 * {@code 5xx} for an answer and the kind when there was none, and times each forwarded request
 * ({@code connector_stripe_proxy_seconds{outcome}}, same values). No tag names an account or a partner: the gateways
 * are not told whose key they use, and the classes are what an operator acts on.
 */
@ApplicationScoped
public class StripeMetrics {

    /** The calls the service makes to Stripe, as the {@code call} tag spells them. */
    public enum Call {
        EXCHANGE, VERIFY, REFRESH, DEAUTHORIZE, PROXY;

        String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    static final String OK = "ok";

    private final MeterRegistry registry;

    public StripeMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Counts how {@code answer} completes: ok, or the class of its {@link StripeFailure}. */
    <T> Uni<T> counted(Call call, Uni<T> answer) {
        return answer.onItemOrFailure().invoke((item, failure) -> answered(call, failure == null ? OK : classOf(failure)));
    }

    /** Counts and times one proxied request from its subscription to Stripe's answer (or the lack of one). */
    Uni<StripeApiProxy.Answer> proxied(Uni<StripeApiProxy.Answer> answer) {
        return Uni.createFrom().deferred(() -> {
            Timer.Sample started = Timer.start(registry);
            return answer.onItemOrFailure().invoke((item, failure) -> {
                String outcome = failure == null ? (item.status() / 100) + "xx" : classOf(failure);
                answered(Call.PROXY, outcome);
                started.stop(Timer.builder("connector.stripe.proxy").description("Requests forwarded to Stripe's API, until its answer")
                        .tag("outcome", outcome).register(registry));
            });
        });
    }

    private void answered(Call call, String answerClass) {
        Counter.builder("connector.stripe.answers").description("Stripe's answers to the service's calls, by the boundary's class")
                .tag("call", call.tag()).tag("class", answerClass).register(registry).increment();
    }

    private static String classOf(Throwable failure) {
        // Anything but a StripeFailure never left the service's own code: the call did not get an answer to classify.
        return failure instanceof StripeFailure stripe ? stripe.kind().name().toLowerCase(Locale.ROOT) : "error";
    }
}
