package dev.stripeconnector.events;

import dev.stripeconnector.crypto.Secret;
import dev.stripeconnector.partner.PartnerId;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.quarkus.panache.common.Sort;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.LockModeType;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * An endpoint that receives signed events of the types it asked for. Its signing secrets are
 * {@link Secret}s, so they are stored encrypted ({@code v1:keyId:…}) like every other secret; during a
 * rotation the previous one stays valid (every delivery is signed with both) until it expires.
 */
@Entity
@Table(name = "event_subscription")
public class EventSubscription extends PanacheEntityBase {

    public static final int MAX_DESCRIPTION = 200;

    @Id
    public UUID id;

    /** The partner whose events it receives; only that partner's keys and console see it. */
    @Column(name = "partner_id", nullable = false, updatable = false)
    public String partnerId;

    @Column(nullable = false)
    public String url;

    /** Comma-separated event types, or {@code *} for all. */
    @Column(name = "event_types", nullable = false)
    public String eventTypes;

    public String description;

    /**
     * The Stripe event types it forwards as {@code stripe.event} ({@link StripeEventTypes}: comma-separated patterns);
     * null for none, which is what a subscription that never asked gets.
     */
    @Column(name = "stripe_event_types")
    public String stripeEventTypes;

    @Column(name = "signing_secret", nullable = false)
    public Secret signingSecret;

    @Column(name = "previous_signing_secret")
    public Secret previousSigningSecret;

    @Column(name = "previous_secret_expires_at")
    public Instant previousSecretExpiresAt;

    @Column(name = "created_at", nullable = false, updatable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Version
    public long version;

    public List<String> types() {
        return Arrays.asList(eventTypes.split(","));
    }

    public boolean receives(String type) {
        return eventTypes.equals(EventType.ALL) || types().contains(type);
    }

    /** Whether it receives an event of {@code type}; a {@code stripe.event} only when its patterns match {@code stripeType}. */
    public boolean receives(String type, String stripeType) {
        return receives(type) && (!EventType.STRIPE_EVENT.json().equals(type) || StripeEventTypes.matches(stripeEventTypes, stripeType));
    }

    /** The secrets a delivery made at {@code now} is signed with: the current one, and the previous one during its overlap. */
    public List<Secret> activeSecrets(Instant now) {
        List<Secret> secrets = new ArrayList<>();
        secrets.add(signingSecret);
        if (previousSigningSecret != null && previousSecretExpiresAt != null && previousSecretExpiresAt.isAfter(now)) {
            secrets.add(previousSigningSecret);
        }
        return secrets;
    }

    /** A new secret; the current one stays valid until {@code previousExpiresAt} (none when the overlap is zero). */
    public void rotate(Secret secret, Instant previousExpiresAt, Instant now) {
        if (previousExpiresAt.isAfter(now)) {
            previousSigningSecret = signingSecret;
            previousSecretExpiresAt = previousExpiresAt;
        } else {
            previousSigningSecret = null;
            previousSecretExpiresAt = null;
        }
        signingSecret = secret;
        updatedAt = now;
    }

    /** The partner's subscription (another partner's is absent), locked until the transaction ends. */
    public static Optional<EventSubscription> byIdForUpdate(PartnerId partner, UUID id) {
        return find("partnerId = ?1 and id = ?2", partner.value(), id).withLock(LockModeType.PESSIMISTIC_WRITE).firstResultOptional();
    }

    /** The partner's subscription (another partner's is absent). */
    public static Optional<EventSubscription> byId(PartnerId partner, UUID id) {
        return find("partnerId = ?1 and id = ?2", partner.value(), id).firstResultOptional();
    }

    /** The partner's subscriptions, oldest first. */
    public static List<EventSubscription> all(PartnerId partner) {
        return list("partnerId", Sort.by("createdAt").and("id"), partner.value());
    }
}
