package dev.stripeconnector.events;

import dev.stripeconnector.common.DatabaseFailures;
import dev.stripeconnector.common.DatabaseRetry;
import dev.stripeconnector.observability.TraceContexts;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.jboss.logging.Logger;

/**
 * Each replica's delivery worker: a loop on a virtual thread that claims due deliveries, sends each on
 * a virtual thread of its own, and records the outcome. It wakes every poll interval, and at once when
 * a transaction of this replica wrote events; replicas share the work through the database
 * ({@link DeliveryQueue}).
 *
 * <p>Each subscription has its own share: up to {@code connector.events.concurrency} of its deliveries
 * at once (to different installations), whatever the other subscriptions are doing. A receiver that
 * hangs until the request timeout fills its own share only, and the other receivers' deliveries go on
 * as before; there is no limit shared between subscriptions for it to exhaust. A delivery in flight is
 * a virtual thread and a connection; the database is used only to claim it and to record its outcome.
 *
 * <p>At least once: a delivery is recorded only after the receiver answered, so a replica that dies
 * in between leaves the claim's lease to lapse and the delivery to be made again, with the same event
 * id. A failed attempt is retried after {@code first-retry} × 2^(attempt − 1), at most
 * {@code max-retry-interval}, each wait drawn between half and all of that (jitter), until
 * {@code retry-for} after the event was written; then the delivery is failed, kept for replay, and the
 * installation's later events go ahead.
 */
@ApplicationScoped
public class DeliveryWorker {

    private static final Logger LOG = Logger.getLogger(DeliveryWorker.class);
    private static final Duration GAUGE_INTERVAL = Duration.ofSeconds(5);
    private static final Duration SECRETS_INTERVAL = Duration.ofHours(1);

    private final DeliveryQueue queue;
    private final EventSender sender;
    private final EventsConfig config;
    private final DeliverySignal signal;
    private final EventMetrics metrics;
    private final Tracer tracer;
    /** This replica's deliveries in flight, per subscription (none: absent). */
    private final Map<UUID, Integer> busy = new ConcurrentHashMap<>();
    private final Set<Thread> sending = ConcurrentHashMap.newKeySet();
    private volatile boolean running;
    private Thread loop;
    private boolean databaseDown;
    private long nextGauge;
    private long nextSecretsCleanup;

    public DeliveryWorker(DeliveryQueue queue, EventSender sender, EventsConfig config, DeliverySignal signal, EventMetrics metrics,
                          Tracer tracer) {
        this.queue = queue;
        this.tracer = tracer;
        this.sender = sender;
        this.config = config;
        this.signal = signal;
        this.metrics = metrics;
    }

    void start(@Observes StartupEvent started) {
        running = true;
        // The first clean-up a little after start-up, at a different moment on each replica.
        nextSecretsCleanup = System.nanoTime() + Duration.ofSeconds(60 + ThreadLocalRandom.current().nextInt(240)).toNanos();
        loop = Thread.ofVirtual().name("event-delivery").start(this::run);
    }

    /** Stops claiming; deliveries in flight get up to the request timeout to finish (else their lease lapses). */
    void stop(@Observes ShutdownEvent stopping) {
        running = false;
        signal.nudge();
        try {
            if (loop != null) {
                loop.join(Duration.ofSeconds(2));
            }
            long deadline = System.nanoTime() + config.requestTimeout().plusSeconds(1).toNanos();
            for (Thread delivery : Set.copyOf(sending)) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !delivery.join(Duration.ofNanos(left))) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        while (running) {
            try {
                housekeeping();
                List<DeliveryQueue.Claim> claims = queue.claim(config.concurrency(), new HashMap<>(busy));
                recovered();
                for (DeliveryQueue.Claim claim : claims) {
                    busy.merge(claim.subscriptionId(), 1, Integer::sum);
                    Thread delivery = Thread.ofVirtual().name("event-delivery-" + claim.deliveryId()).unstarted(() -> {
                        try {
                            deliver(claim);
                        } finally {
                            busy.computeIfPresent(claim.subscriptionId(), (subscription, count) -> count == 1 ? null : count - 1);
                            sending.remove(Thread.currentThread());
                            // A delivered event may let the next one of its installation go, and its subscription has a
                            // free place again: look again at once.
                            signal.nudge();
                        }
                    });
                    sending.add(delivery);
                    delivery.start();
                }
                if (claims.isEmpty()) {
                    signal.await(config.pollInterval());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException failure) {
                trouble(failure);
                try {
                    signal.await(config.pollInterval());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /**
     * One attempt: send, then record what it came to (retried while the database is briefly away). The attempt is a span
     * of the trace of the change that wrote the event (its outbox row keeps that change's trace context), so a trace
     * shows a change and every attempt to deliver it; the receiver gets the attempt's own {@code traceparent}.
     */
    void deliver(DeliveryQueue.Claim claim) {
        Span span = tracer.spanBuilder("deliver " + claim.eventType()).setSpanKind(SpanKind.CLIENT)
                .setParent(TraceContexts.parent(claim.traceParent()))
                .setAttribute("connector.partner", claim.partner().value())
                .setAttribute("connector.event.id", claim.eventId().toString())
                .setAttribute("connector.event.type", claim.eventType())
                .setAttribute("connector.subscription.id", claim.subscriptionId().toString())
                .setAttribute("connector.delivery.attempt", claim.attempt())
                .startSpan();
        try (Scope traced = span.makeCurrent()) {
            EventSender.Outcome outcome = sender.send(claim.url(), claim.eventId().toString(), claim.eventType(),
                    claim.payload().getBytes(StandardCharsets.UTF_8), claim.secrets());
            Duration retryIn = retryDelay(claim.attempt());
            DeliveryAttempt.Outcome result = DatabaseRetry.write(() -> queue.complete(claim, outcome, retryIn));
            if (outcome.status() != null) {
                span.setAttribute("http.response.status_code", outcome.status());
            }
            span.setAttribute("connector.delivery.outcome", result.name());
            if (result != DeliveryAttempt.Outcome.DELIVERED) {
                // The outcome, never the error's text: it may quote what the receiver answered.
                span.setStatus(StatusCode.ERROR, result.name());
            }
            metrics.attempt(Duration.ofMillis(outcome.durationMillis()), result, Duration.between(claim.eventCreatedAt(), Instant.now()));
            switch (result) {
                case DELIVERED -> LOG.debugf("Delivered event %s to subscription %s of partner %s", claim.eventId(), claim.subscriptionId(),
                        claim.partner());
                case RETRYING -> LOG.infof("Event %s to subscription %s of partner %s, attempt %d: %s; next attempt in about %d s",
                        claim.eventId(), claim.subscriptionId(), claim.partner(), claim.attempt(), outcome.error(),
                        Math.max(1, retryIn.toSeconds()));
                case FAILED -> LOG.warnf("Event %s to subscription %s of partner %s failed after %d attempts (%s): kept for replay"
                        + " (POST /api/v1/events/%s/redeliver)", claim.eventId(), claim.subscriptionId(), claim.partner(), claim.attempt(),
                        outcome.error(), claim.eventId());
            }
        } catch (RuntimeException failure) {
            // The lease lapses and another attempt follows.
            span.setStatus(StatusCode.ERROR, "not recorded");
            trouble(failure);
        } finally {
            span.end();
        }
    }

    /**
     * The wait after failed attempt {@code attempt} (1, 2, …): the first retry interval doubled each
     * time, at most the longest, and a random part of it (between half and all) so that receivers
     * coming back are not hit by every replica at the same moment.
     */
    Duration retryDelay(int attempt) {
        long first = config.firstRetry().toMillis();
        long max = config.maxRetryInterval().toMillis();
        long full = first << Math.min(Math.max(attempt - 1, 0), 40);
        long capped = full <= 0 || full > max ? max : full;
        return Duration.ofMillis(capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1));
    }

    private void housekeeping() {
        long now = System.nanoTime();
        if (now - nextGauge >= 0) {
            nextGauge = now + GAUGE_INTERVAL.toNanos();
            metrics.pending(queue.pending());
        }
        if (now - nextSecretsCleanup >= 0) {
            nextSecretsCleanup = now + SECRETS_INTERVAL.toNanos();
            queue.forgetExpiredSecrets();
        }
    }

    private synchronized void trouble(RuntimeException failure) {
        if (DatabaseFailures.isUnavailable(failure)) {
            if (!databaseDown) {
                databaseDown = true;
                LOG.warn("Event delivery paused: the database cannot be reached; it resumes when it is back");
            }
            return;
        }
        LOG.error("Event delivery failed unexpectedly; it carries on", failure);
    }

    private synchronized void recovered() {
        if (databaseDown) {
            databaseDown = false;
            LOG.info("Event delivery resumed: the database is back");
        }
    }
}
