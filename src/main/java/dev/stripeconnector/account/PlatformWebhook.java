package dev.stripeconnector.account;

import dev.stripeconnector.crypto.Secret;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.LockModeType;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The webhook endpoint of a platform an account brings itself (its own client ID): Stripe signs
 * that platform's events with this endpoint's secret, which is stored encrypted and never shown.
 * While a secret is rolled, the previous one stays valid.
 */
@Entity
@Table(name = "platform_webhook")
public class PlatformWebhook extends PanacheEntityBase {

    @Id
    @Column(name = "client_id")
    public String clientId;

    @Column(name = "signing_secret", nullable = false)
    public Secret signingSecret;

    @Column(name = "previous_signing_secret")
    public Secret previousSigningSecret;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    public static Optional<PlatformWebhook> forPlatform(String clientId) {
        return findByIdOptional(clientId);
    }

    static Optional<PlatformWebhook> forPlatformForUpdate(String clientId) {
        return Optional.ofNullable(findById(clientId, LockModeType.PESSIMISTIC_WRITE));
    }

    /** Every secret a delivery may be signed with, newest first. */
    public List<Secret> activeSecrets() {
        List<Secret> secrets = new ArrayList<>();
        secrets.add(signingSecret);
        if (previousSigningSecret != null) {
            secrets.add(previousSigningSecret);
        }
        return secrets;
    }

    /** Sets a new secret, keeping the current one valid until the next change. */
    void roll(Secret secret, Instant now) {
        if (!secret.equals(signingSecret)) {
            previousSigningSecret = signingSecret;
            signingSecret = secret;
        }
        updatedAt = now;
    }
}
