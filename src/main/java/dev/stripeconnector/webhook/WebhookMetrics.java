package dev.stripeconnector.webhook;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Stripe's events of connected accounts, on the management port with the others, counted once each (after their
 * transaction committed; a redelivery is not counted again): {@code connector_stripe_events_forwarded_total} (kept
 * and forwarded to the installations of their account) and {@code connector_stripe_events_unattributed_total}
 * (of an account no installation is connected to through the endpoint's platform: acknowledged and dropped).
 */
@ApplicationScoped
public class WebhookMetrics {

    private final Counter forwarded;
    private final Counter unattributed;

    public WebhookMetrics(MeterRegistry registry) {
        forwarded = Counter.builder("connector.stripe.events.forwarded")
                .description("Stripe events of connected accounts kept and forwarded to their installations").register(registry);
        unattributed = Counter.builder("connector.stripe.events.unattributed")
                .description("Stripe events of accounts no installation is connected to: acknowledged and dropped").register(registry);
    }

    void received(WebhookService.Result result) {
        switch (result) {
            case HANDLED -> forwarded.increment();
            case UNATTRIBUTED -> unattributed.increment();
            default -> {
            }
        }
    }
}
