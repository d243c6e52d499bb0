package dev.stripeconnector.account;

import dev.stripeconnector.crypto.Secret;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.LockModeType;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** One account's installation of the connector, with its optional overrides of the console values. */
@Entity
@Table(name = "account_connector")
public class AccountConnector extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "account_id", nullable = false, updatable = false)
    public String accountId;

    public String name;

    /** The account's own client ID, overriding the console's; null when it uses the console's. */
    @Column(name = "client_id")
    public String clientId;

    /** The account's own secret key, overriding the console's; null when it uses the console's. */
    @Column(name = "client_secret")
    public Secret clientSecret;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public ConnectorStatus status;

    /** The connected Stripe account ({@code acct_…}), once the OAuth flow completed. */
    @Column(name = "stripe_user_id")
    public String stripeUserId;

    public Boolean livemode;

    public String scope;

    @Column(name = "publishable_key")
    public String publishableKey;

    @Column(name = "access_token")
    public Secret accessToken;

    @Column(name = "refresh_token")
    public Secret refreshToken;

    @Column(name = "connected_at")
    public Instant connectedAt;

    /** Stripe's error code of the last failed attempt (e.g. {@code invalid_grant}). */
    @Column(name = "last_error")
    public String lastError;

    @Column(name = "last_error_description")
    public String lastErrorDescription;

    @Column(name = "last_error_at")
    public Instant lastErrorAt;

    /** When Stripe last rolled the tokens (database clock), so concurrent refreshes roll once. */
    @Column(name = "tokens_refreshed_at")
    public Instant tokensRefreshedAt;

    @Column(name = "last_verified_at")
    public Instant lastVerifiedAt;

    @Column(name = "account_business_name")
    public String accountBusinessName;

    @Column(name = "account_email")
    public String accountEmail;

    @Column(name = "account_country")
    public String accountCountry;

    @Column(name = "charges_enabled")
    public Boolean chargesEnabled;

    @Column(name = "payouts_enabled")
    public Boolean payoutsEnabled;

    @Column(name = "created_at", nullable = false, updatable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Version
    public long version;

    public static Optional<AccountConnector> findByStripeUserId(String stripeUserId) {
        return find("stripeUserId", stripeUserId).firstResultOptional();
    }

    /** Connected: tokens are stored and Stripe has not said otherwise. */
    public boolean isConnected() {
        return status == ConnectorStatus.CONNECTED && stripeUserId != null && accessToken != null;
    }

    /** Forgets the tokens after Stripe revoked them; the facts of the connection stay for people to read. */
    public void revoke(String code, String reason, Instant now) {
        status = ConnectorStatus.REVOKED;
        accessToken = null;
        refreshToken = null;
        lastError = code;
        lastErrorDescription = reason == null || reason.length() <= 1000 ? reason : reason.substring(0, 1000);
        lastErrorAt = now;
        updatedAt = now;
    }

    public void clearError() {
        lastError = null;
        lastErrorDescription = null;
        lastErrorAt = null;
    }

    public static Optional<AccountConnector> findByIdForUpdate(UUID id) {
        return Optional.ofNullable(findById(id, LockModeType.PESSIMISTIC_WRITE));
    }

    public static Optional<AccountConnector> findByAccountId(String accountId) {
        return find("accountId", accountId).firstResultOptional();
    }

    /** The installation, locked until the transaction ends, for a read-modify-write. */
    public static Optional<AccountConnector> findByAccountIdForUpdate(String accountId) {
        return find("accountId", accountId).withLock(LockModeType.PESSIMISTIC_WRITE).firstResultOptional();
    }

    /** A page of installations in account id order, after {@code afterAccountId} when given. */
    public static List<AccountConnector> page(ConnectorStatus status, String afterAccountId, int limit) {
        StringBuilder query = new StringBuilder("1 = 1");
        Parameters params = new Parameters();
        if (status != null) {
            query.append(" and status = :status");
            params.and("status", status);
        }
        if (afterAccountId != null) {
            query.append(" and accountId > :after");
            params.and("after", afterAccountId);
        }
        return find(query.toString(), Sort.by("accountId"), params).page(0, limit).list();
    }
}
