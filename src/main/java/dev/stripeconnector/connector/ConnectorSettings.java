package dev.stripeconnector.connector;

import dev.stripeconnector.crypto.Secret;
import dev.stripeconnector.partner.PartnerId;
import dev.stripeconnector.stripe.AccountType;
import dev.stripeconnector.stripe.Scope;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.LockModeType;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * A partner's console setup: one row per partner (its creation inserts it, and the migration made
 * partner default's), so concurrent first writes on several replicas never race to insert it. Every
 * finder names the partner whose row it reads.
 */
@Entity
@Table(name = "connector_settings")
public class ConnectorSettings extends PanacheEntityBase {

    /** The share lock of one partner's settings row (its one parameter: the partner); selects 1 when the row exists. */
    private static final String SHARE_LOCK = "select 1 from connector_settings where partner_id = ? for share";

    @Id
    public short id;

    /** The partner whose console this is; never changes. */
    @Column(name = "partner_id", nullable = false, updatable = false)
    public String partnerId;

    @Column(name = "client_id")
    public String clientId;

    @Column(name = "client_secret")
    public Secret clientSecret;

    /** The Stripe platform account the console's key belongs to, as Stripe said when the key was saved. */
    @Column(name = "platform_account_id")
    public String platformAccountId;

    @Enumerated(EnumType.STRING)
    @Column(name = "default_scope")
    public Scope defaultScope;

    @Enumerated(EnumType.STRING)
    @Column(name = "account_type")
    public AccountType accountType;

    /**
     * The signing secret of the partner's {@code /webhooks/stripe} endpoint on its own domain (partner
     * default's are {@code CONNECTOR_STRIPE_WEBHOOK_SECRETS}); write-only.
     */
    @Column(name = "webhook_signing_secret")
    public Secret webhookSigningSecret;

    /**
     * The secret it replaced, still accepted until {@link #previousWebhookSecretExpiresAt}, so Stripe's roll of the
     * secret loses no event while one rolled because it leaked stops signing soon.
     */
    @Column(name = "previous_webhook_signing_secret")
    public Secret previousWebhookSigningSecret;

    /** When the previous secret stops being valid; null (with no previous secret, or one that never expired when kept): not valid. */
    @Column(name = "previous_webhook_secret_expires_at")
    public Instant previousWebhookSecretExpiresAt;

    /** Whom a person asks when a connection link is spent or expired: an email address or a URL; null: not set. */
    @Column(name = "support_contact")
    public String supportContact;

    @Column(name = "updated_at")
    public Instant updatedAt;

    @Version
    public long version;

    /** {@code partner}'s settings. */
    public static ConnectorSettings of(PartnerId partner) {
        return find(partner, LockModeType.NONE);
    }

    public PartnerId partner() {
        return new PartnerId(partnerId);
    }

    /**
     * Sets the endpoint's signing secret, keeping the one it replaces valid until {@code previousExpiresAt} (as
     * Stripe's roll of a secret keeps the old one working for at most 24 hours; none when that is not after
     * {@code now}); clearing it clears both.
     */
    public void rollWebhookSecret(Secret secret, Instant previousExpiresAt, Instant now) {
        if (secret == null) {
            webhookSigningSecret = null;
            expirePreviousWebhookSecret();
        } else if (!secret.equals(webhookSigningSecret)) {
            previousWebhookSigningSecret = webhookSigningSecret;
            previousWebhookSecretExpiresAt = previousExpiresAt;
            if (previousWebhookSigningSecret == null || !previousExpiresAt.isAfter(now)) {
                expirePreviousWebhookSecret();
            }
            webhookSigningSecret = secret;
        }
    }

    /** Ends the previous secret's validity at once (the partner's "expire the old one now"); whether there was one. */
    public boolean expirePreviousWebhookSecret() {
        boolean had = previousWebhookSigningSecret != null;
        previousWebhookSigningSecret = null;
        previousWebhookSecretExpiresAt = null;
        return had;
    }

    /** {@code partner}'s settings, locked until the transaction ends, for a read-modify-write. */
    public static ConnectorSettings ofForUpdate(PartnerId partner) {
        return find(partner, LockModeType.PESSIMISTIC_WRITE);
    }

    /**
     * Share-locks {@code partner}'s settings until the transaction ends: a change of that console waits for it. Only the
     * lock: the row is not loaded (nothing decrypted, nothing for the flush to check).
     */
    public static void lockForShare(PartnerId partner) {
        List<?> rows = getEntityManager().createNativeQuery(SHARE_LOCK).setParameter(1, partner.value()).getResultList();
        if (rows.isEmpty()) {
            throw noRow(partner);
        }
    }

    /** {@link #lockForShare} on a connection of the caller's transaction, for a write in plain statements. */
    public static void lockForShare(Connection connection, PartnerId partner) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement(SHARE_LOCK)) {
            lock.setString(1, partner.value());
            try (ResultSet row = lock.executeQuery()) {
                if (!row.next()) {
                    throw noRow(partner);
                }
            }
        }
    }

    private static IllegalStateException noRow(PartnerId partner) {
        return new IllegalStateException("Partner '" + partner + "' has no console settings row");
    }

    private static ConnectorSettings find(PartnerId partner, LockModeType lock) {
        var query = ConnectorSettings.<ConnectorSettings>find("partnerId", partner.value());
        return (lock == LockModeType.NONE ? query : query.withLock(lock)).firstResultOptional()
                .orElseThrow(() -> new IllegalStateException("Partner '" + partner + "' has no console settings row"));
    }

    public Scope effectiveScope() {
        return effectiveScope(defaultScope);
    }

    public AccountType effectiveAccountType() {
        return effectiveAccountType(accountType);
    }

    /** The scope authorize URLs ask for when the console chose {@code configured} (null: not chosen). */
    public static Scope effectiveScope(Scope configured) {
        return configured != null ? configured : Scope.READ_WRITE;
    }

    /** The account type authorize URLs are for when the console chose {@code configured} (null: not chosen). */
    public static AccountType effectiveAccountType(AccountType configured) {
        return configured != null ? configured : AccountType.STANDARD;
    }
}
