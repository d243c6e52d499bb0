package dev.stripeconnector.account;

import dev.stripeconnector.crypto.Secret;
import dev.stripeconnector.partner.PartnerId;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
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

/**
 * One account's installation of the connector, with its optional overrides of the console values
 * and, once connected, its Stripe connection. The connection's state changes only through the
 * methods below, each named for what happened, but for a new connection, which the OAuth callback stores
 * in plain statements ({@link Grants}). The entity is the write path: what an installation
 * effectively uses, whether it is connected and the status the API shows are read from the view
 * {@code installation_state} through {@link Installations}, which states those rules once.
 */
@Entity
@Table(name = "account_connector")
public class AccountConnector extends PanacheEntityBase {

    /** Column sizes, checked before anything is written. */
    public static final int MAX_NAME = 200;
    public static final int MAX_ERROR_CODE = 64;
    public static final int MAX_ERROR_DESCRIPTION = 1000;

    @Id
    public UUID id;

    /** The partner whose installation this is; never changes. Two partners may each install the same account id. */
    @Column(name = "partner_id", nullable = false, updatable = false)
    public String partnerId;

    @Column(name = "account_id", nullable = false, updatable = false)
    public String accountId;

    public String name;

    /** The account's own client ID, overriding the console's; null when it uses the console's. */
    @Column(name = "client_id")
    public String clientId;

    /** The account's own secret key, overriding the console's; null when it uses the console's. */
    @Column(name = "client_secret")
    public Secret clientSecret;

    /** The Stripe platform account the override key belongs to, as Stripe said when the key was saved. */
    @Column(name = "platform_account_id")
    public String platformAccountId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public ConnectorStatus status;

    /** The connected Stripe account ({@code acct_…}), once the OAuth flow completed. */
    @Column(name = "stripe_user_id")
    public String stripeUserId;

    /** The client ID (platform) the connection was made with; refresh, disconnect and webhooks use it. */
    @Column(name = "connected_client_id")
    public String connectedClientId;

    /** The platform account whose key made the connection, when known; tells revocation from a key of another platform. */
    @Column(name = "connected_platform_account")
    public String connectedPlatformAccount;

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

    /** What went wrong last ({@code invalid_grant}, {@code platform_key_rejected}, …). */
    @Column(name = "last_error")
    public String lastError;

    @Column(name = "last_error_description")
    public String lastErrorDescription;

    @Column(name = "last_error_at")
    public Instant lastErrorAt;

    /** When Stripe last rolled the tokens (database clock), so concurrent refreshes roll once. */
    @Column(name = "tokens_refreshed_at")
    public Instant tokensRefreshedAt;

    /** Until when a refresh in progress holds the connection (database clock); it lapses if its replica dies. */
    @Column(name = "refresh_lease_until")
    public Instant refreshLeaseUntil;

    @Column(name = "refresh_lease_owner")
    public UUID refreshLeaseOwner;

    /** When the last refresh attempt failed without an answer, and how, for callers that waited on it. */
    @Column(name = "refresh_failed_at")
    public Instant refreshFailedAt;

    @Column(name = "refresh_failure")
    public String refreshFailure;

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

    /** As of when the facts above are: the verify that read them, or the creation of the account.updated event that told them. */
    @Column(name = "account_facts_at")
    public Instant accountFactsAt;

    @Column(name = "created_at", nullable = false, updatable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Version
    public long version;

    // ---- state changes ----

    /** What refreshes and verifies recorded of a connection: it belongs to that connection only. */
    private void forgetUpkeep() {
        tokensRefreshedAt = null;
        refreshLeaseOwner = null;
        refreshLeaseUntil = null;
        refreshFailedAt = null;
        refreshFailure = null;
        lastVerifiedAt = null;
    }

    /** Stripe rolled the tokens; a refresh answer without a refresh token keeps the old one. */
    public void rollTokens(Secret newAccessToken, Secret newRefreshToken, String newScope, String newPublishableKey,
                           Instant databaseNow, Instant now) {
        accessToken = newAccessToken;
        if (newRefreshToken != null) {
            refreshToken = newRefreshToken;
        }
        if (newScope != null) {
            scope = newScope;
        }
        if (newPublishableKey != null) {
            publishableKey = newPublishableKey;
        }
        tokensRefreshedAt = databaseNow;
        refreshFailedAt = null;
        refreshFailure = null;
        clearError();
        updatedAt = now;
    }

    /**
     * Stripe answered for the account: its facts are recorded and the platform's access is known to
     * work (a connection marked revoked by an earlier verify is connected again). A connection whose
     * refresh token Stripe refused stays in error: it still needs a new authorization.
     */
    public void verified(String businessName, String email, String country, Boolean charges, Boolean payouts, Instant now) {
        recordFacts(businessName, email, country, charges, payouts, now);
        lastVerifiedAt = now;
        if (status != ConnectorStatus.ERROR) {
            status = ConnectorStatus.CONNECTED;
            clearError();
        }
        updatedAt = now;
    }

    /**
     * Stripe's {@code account.updated} told the account's facts as of {@code asOf} (the event's creation): they are
     * recorded unless newer ones are (Stripe may deliver an older event late). Nothing else changes: not the
     * connection, its status or error, nor when it was last verified. Answers whether the facts were recorded.
     */
    public boolean accountUpdated(String businessName, String email, String country, Boolean charges, Boolean payouts, Instant asOf,
                                  Instant now) {
        // Stripe's times have whole seconds: facts of a later second than the event are newer than it.
        if (accountFactsAt != null && asOf != null && accountFactsAt.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).isAfter(asOf)) {
            return false;
        }
        recordFacts(businessName, email, country, charges, payouts, asOf != null ? asOf : now);
        updatedAt = now;
        return true;
    }

    /** The account's facts, as Stripe told them as of {@code asOf} (all null: none known). */
    private void recordFacts(String businessName, String email, String country, Boolean charges, Boolean payouts, Instant asOf) {
        accountBusinessName = businessName;
        accountEmail = email;
        accountCountry = country;
        chargesEnabled = charges;
        payoutsEnabled = payouts;
        accountFactsAt = asOf;
    }

    /**
     * Stripe says the platform no longer has access to the account, and the platform's key works.
     * The tokens stay (encrypted): only a verified deauthorization or a disconnect wipes them.
     */
    public void accessRevoked(String code, String description, Instant now) {
        status = ConnectorStatus.REVOKED;
        recordError(code, description, now);
    }

    /** A verified deauthorization: the account disconnected the platform. The tokens are wiped; the facts stay. */
    public void deauthorized(String description, Instant now) {
        status = ConnectorStatus.REVOKED;
        accessToken = null;
        refreshToken = null;
        refreshLeaseOwner = null;
        refreshLeaseUntil = null;
        recordError("deauthorized", description, now);
    }

    /**
     * The partner disconnected the account: the connection (tokens, the Stripe account and what was
     * learnt of it) is wiped, the installation and the account's own values stay, so a new link works at
     * once. The Stripe account is forgotten too, so a later deauthorization webhook for it finds nothing
     * to revoke. {@code note} says what Stripe was not told (a forced disconnect), else null.
     */
    public void disconnected(String note, Instant now) {
        status = ConnectorStatus.DISCONNECTED;
        stripeUserId = null;
        livemode = null;
        scope = null;
        publishableKey = null;
        accessToken = null;
        refreshToken = null;
        connectedClientId = null;
        connectedPlatformAccount = null;
        connectedAt = null;
        forgetUpkeep();
        recordFacts(null, null, null, null, null, null);
        clearError();
        if (note != null) {
            recordError("disconnect_unconfirmed", note, now);
        }
        updatedAt = now;
    }

    /** Stripe refused the refresh token: a person must connect the account again. */
    public void reconnectNeeded(String code, String description, Instant now) {
        status = ConnectorStatus.ERROR;
        recordError(code, description, now);
    }

    /** A problem that names what to fix (the platform key, a permission) without changing the connection. */
    public void recordError(String code, String description, Instant now) {
        lastError = bounded(code, MAX_ERROR_CODE);
        lastErrorDescription = bounded(description, MAX_ERROR_DESCRIPTION);
        lastErrorAt = now;
        updatedAt = now;
    }

    public void clearError() {
        lastError = null;
        lastErrorDescription = null;
        lastErrorAt = null;
    }

    private static String bounded(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max - 1) + "…";
    }

    public PartnerId partner() {
        return new PartnerId(partnerId);
    }

    // ---- finders: each names the partner, so one partner's id never reaches another's installation ----

    /** {@code partner}'s installation {@code id}, locked until the transaction ends; empty when it is not the partner's. */
    public static Optional<AccountConnector> findByIdForUpdate(PartnerId partner, UUID id) {
        return find("partnerId = ?1 and id = ?2", partner.value(), id).withLock(LockModeType.PESSIMISTIC_WRITE).firstResultOptional();
    }

    public static Optional<AccountConnector> findByAccountId(PartnerId partner, String accountId) {
        return find("partnerId = ?1 and accountId = ?2", partner.value(), accountId).firstResultOptional();
    }

    /** {@code partner}'s installation of {@code accountId}, locked until the transaction ends, for a read-modify-write. */
    public static Optional<AccountConnector> findByAccountIdForUpdate(PartnerId partner, String accountId) {
        return find("partnerId = ?1 and accountId = ?2", partner.value(), accountId).withLock(LockModeType.PESSIMISTIC_WRITE)
                .firstResultOptional();
    }

    /** How many of {@code partner}'s installations other than {@code except} use the account-brought platform {@code clientId}. */
    public static long countOnOwnPlatform(PartnerId partner, String clientId, UUID except) {
        return count("partnerId = ?1 and clientId = ?2 and id <> ?3", partner.value(), clientId, except);
    }

    /**
     * {@code partner}'s installations connected to the Stripe account {@code stripeUserId} (through any platform). A revoked
     * connection keeps the account it had (for the record), but is no longer the account's: another installation may have
     * connected it since, and the account's events are that one's.
     */
    public static List<AccountConnector> connectedTo(PartnerId partner, String stripeUserId) {
        return list(CONNECTED_TO, io.quarkus.panache.common.Sort.by("createdAt").and("id"), partner.value(), stripeUserId, NO_LONGER_CONNECTED);
    }

    /** The same, locked until the transaction ends, for a change of them. */
    public static List<AccountConnector> connectedToForUpdate(PartnerId partner, String stripeUserId) {
        return find(CONNECTED_TO, io.quarkus.panache.common.Sort.by("createdAt").and("id"), partner.value(), stripeUserId, NO_LONGER_CONNECTED)
                .withLock(LockModeType.PESSIMISTIC_WRITE).list();
    }

    private static final String CONNECTED_TO = "partnerId = ?1 and stripeUserId = ?2 and status not in ?3";
    private static final List<ConnectorStatus> NO_LONGER_CONNECTED = List.of(ConnectorStatus.REVOKED, ConnectorStatus.DISCONNECTED);

    /** {@code partner}'s connections to {@code stripeUserId} made through the platform {@code clientId}, locked. */
    public static List<AccountConnector> connectionsForUpdate(PartnerId partner, String stripeUserId, String clientId) {
        return find("partnerId = ?1 and stripeUserId = ?2 and connectedClientId = ?3", partner.value(), stripeUserId, clientId)
                .withLock(LockModeType.PESSIMISTIC_WRITE).list();
    }
}
