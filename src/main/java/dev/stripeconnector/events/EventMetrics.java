package dev.stripeconnector.events;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Delivery metrics, on the management port with the others: {@code connector_events_pending} (deliveries
 * not yet made, in the whole database: every replica reports the same number), and per replica
 * {@code connector_events_delivered_total}, {@code _retried_total} (attempts that failed and will be
 * retried), {@code _failed_total} (deliveries given up), {@code connector_events_delivery_latency_seconds}
 * (from the event's commit to its delivery) and {@code connector_events_attempt_duration_seconds}.
 */
@ApplicationScoped
public class EventMetrics {

    private final AtomicLong pending = new AtomicLong();
    private final Counter delivered;
    private final Counter retried;
    private final Counter failed;
    private final Timer latency;
    private final Timer attempts;

    public EventMetrics(MeterRegistry registry) {
        registry.gauge("connector.events.pending", pending);
        delivered = Counter.builder("connector.events.delivered").description("Events delivered (2xx from the receiver)").register(registry);
        retried = Counter.builder("connector.events.retried").description("Delivery attempts that failed and will be retried").register(registry);
        failed = Counter.builder("connector.events.failed").description("Deliveries given up after the retry period, kept for replay")
                .register(registry);
        latency = Timer.builder("connector.events.delivery.latency").description("From an event's commit to its delivery")
                .publishPercentileHistogram(false).register(registry);
        attempts = Timer.builder("connector.events.attempt.duration").description("One delivery attempt, connecting included")
                .register(registry);
    }

    void pending(long count) {
        pending.set(count);
    }

    void attempt(Duration duration, DeliveryAttempt.Outcome outcome, Duration sinceCreated) {
        attempts.record(duration);
        switch (outcome) {
            case DELIVERED -> {
                delivered.increment();
                latency.record(sinceCreated.isNegative() ? Duration.ZERO : sinceCreated);
            }
            case RETRYING -> retried.increment();
            case FAILED -> failed.increment();
        }
    }
}
