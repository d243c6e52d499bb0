package dev.stripeconnector.events;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * One event for one subscription. Written with the event; a delivery worker claims it with a lease
 * (the oldest pending one of its subscription and installation only), sends it, and records the
 * outcome: delivered, a retry at {@code nextAttemptAt}, or failed once {@code giveUpAt} has passed.
 */
@Entity
@Table(name = "event_delivery")
public class EventDelivery extends PanacheEntityBase {

    public enum Status {
        PENDING, DELIVERED, FAILED;

        @com.fasterxml.jackson.annotation.JsonValue
        public String json() {
            return name().toLowerCase();
        }
    }

    @Id
    public UUID id;

    /** The partner of the event and of the subscription (always the same one). */
    @Column(name = "partner_id", nullable = false, updatable = false)
    public String partnerId;

    @Column(name = "subscription_id", nullable = false)
    public UUID subscriptionId;

    @Column(name = "event_id", nullable = false)
    public UUID eventId;

    @Column(name = "stream_id", nullable = false)
    public UUID streamId;

    /**
     * A number that grows with the stream's sequence: the event's sequence number (versions before
     * partners took it from the shared feed sequence while the stream was locked). Only pods of versions
     * before the feed sequencer order a stream's deliveries by it; this version orders them by the events'
     * sequence numbers, and lists them by {@code createdAt}.
     */
    @Column(name = "feed_position", nullable = false)
    public long feedPosition;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Status status;

    @Column(nullable = false)
    public int attempts;

    @Column(name = "next_attempt_at", nullable = false)
    public Instant nextAttemptAt;

    @Column(name = "give_up_at", nullable = false)
    public Instant giveUpAt;

    @Column(name = "lease_until")
    public Instant leaseUntil;

    @Column(name = "lease_token")
    public UUID leaseToken;

    @Column(name = "last_attempt_at")
    public Instant lastAttemptAt;

    @Column(name = "last_status")
    public Integer lastStatus;

    @Column(name = "last_error")
    public String lastError;

    @Column(name = "delivered_at")
    public Instant deliveredAt;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    /** Queues the event again (a replay): attempted as soon as the events before it of the same installation are done. */
    void requeue(Instant now, Instant giveUp) {
        status = Status.PENDING;
        attempts = 0;
        nextAttemptAt = now;
        giveUpAt = giveUp;
        leaseUntil = null;
        leaseToken = null;
        deliveredAt = null;
    }
}
