package dev.stripeconnector.events;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** One attempt to deliver an event to a subscription, as the subscription's recent attempts show it. */
@Entity
@Table(name = "event_delivery_attempt")
public class DeliveryAttempt extends PanacheEntityBase {

    public static final int MAX_ERROR = 300;

    public enum Outcome {
        /** The receiver answered 2xx. */
        DELIVERED,
        /** Anything else; another attempt is scheduled. */
        RETRYING,
        /** Anything else, and the retry period is over: the delivery failed and is kept for replay. */
        FAILED;

        @com.fasterxml.jackson.annotation.JsonValue
        public String json() {
            return name().toLowerCase();
        }
    }

    @Id
    public UUID id;

    /** The delivery's partner. */
    @Column(name = "partner_id", nullable = false, updatable = false)
    public String partnerId;

    @Column(name = "delivery_id", nullable = false)
    public UUID deliveryId;

    @Column(name = "subscription_id", nullable = false)
    public UUID subscriptionId;

    @Column(name = "event_id", nullable = false)
    public UUID eventId;

    @Column(nullable = false)
    public int attempt;

    @Column(name = "attempted_at", nullable = false)
    public Instant attemptedAt;

    @Column(name = "duration_ms", nullable = false)
    public int durationMs;

    @Column(name = "http_status")
    public Integer httpStatus;

    public String error;

    @Column(nullable = false)
    @jakarta.persistence.Enumerated(jakarta.persistence.EnumType.STRING)
    public Outcome outcome;

    @Column(name = "next_attempt_at")
    public Instant nextAttemptAt;
}
