package dev.stripeconnector.account;

import dev.stripeconnector.crypto.Secret;
import dev.stripeconnector.partner.PartnerId;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.LockModeType;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The webhook endpoint of a platform an account brings itself (its own client ID): Stripe signs
 * that platform's events with this endpoint's secret, which is stored encrypted and never shown.
 * While a secret is rolled, the previous one stays valid until its expiry.
 */
@Entity
@Table(name = "platform_webhook")
@IdClass(PlatformWebhook.Key.class)
public class PlatformWebhook extends PanacheEntityBase {

    /** The entity's identity: a partner's platform (two partners may each bring the same client ID). */
    public static class Key implements Serializable {
        public String partnerId;
        public String clientId;

        public Key() {
        }

        Key(PartnerId partnerId, String clientId) {
            this.partnerId = partnerId.value();
            this.clientId = clientId;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && Objects.equals(partnerId, key.partnerId) && Objects.equals(clientId, key.clientId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(partnerId, clientId);
        }
    }

    @Id
    @Column(name = "partner_id")
    public String partnerId;

    @Id
    @Column(name = "client_id")
    public String clientId;

    @Column(name = "signing_secret", nullable = false)
    public Secret signingSecret;

    @Column(name = "previous_signing_secret")
    public Secret previousSigningSecret;

    /** When the previous secret stops being valid; null: not valid. */
    @Column(name = "previous_secret_expires_at")
    public Instant previousSecretExpiresAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    /** {@code partner}'s endpoint of the platform {@code clientId}. */
    public static Optional<PlatformWebhook> forPlatform(PartnerId partner, String clientId) {
        return findByIdOptional(new Key(partner, clientId));
    }

    static Optional<PlatformWebhook> forPlatformForUpdate(PartnerId partner, String clientId) {
        return Optional.ofNullable(findById(new Key(partner, clientId), LockModeType.PESSIMISTIC_WRITE));
    }

    /** Removes {@code partner}'s endpoint of the platform {@code clientId}, if it has one. */
    public static void remove(PartnerId partner, String clientId) {
        deleteById(new Key(partner, clientId));
    }

    /** Every secret a delivery made at {@code now} may be signed with, newest first. */
    public List<Secret> activeSecrets(Instant now) {
        List<Secret> secrets = new ArrayList<>();
        secrets.add(signingSecret);
        if (previousSigningSecret != null && previousSecretExpiresAt != null && previousSecretExpiresAt.isAfter(now)) {
            secrets.add(previousSigningSecret);
        }
        return secrets;
    }

    /** Sets a new secret, keeping the current one valid until {@code previousExpiresAt} (none when that is not after {@code now}). */
    void roll(Secret secret, Instant previousExpiresAt, Instant now) {
        if (!secret.equals(signingSecret)) {
            previousSigningSecret = signingSecret;
            previousSecretExpiresAt = previousExpiresAt;
            if (!previousExpiresAt.isAfter(now)) {
                expirePrevious(now);
            }
            signingSecret = secret;
        }
        updatedAt = now;
    }

    /** Ends the previous secret's validity at once; whether there was one. */
    boolean expirePrevious(Instant now) {
        boolean had = previousSigningSecret != null;
        previousSigningSecret = null;
        previousSecretExpiresAt = null;
        updatedAt = now;
        return had;
    }
}
