package dev.stripeconnector.connection;

import dev.stripeconnector.audit.AuditTrail;
import dev.stripeconnector.account.AccountConnector;
import dev.stripeconnector.account.AccountConnectorView;
import dev.stripeconnector.account.AccountService;
import dev.stripeconnector.account.ConnectorStatus;
import dev.stripeconnector.account.InstallationEvents;
import dev.stripeconnector.account.InstallationState;
import dev.stripeconnector.account.InstallationState.Standing;
import dev.stripeconnector.account.Installations;
import dev.stripeconnector.account.MissingCredentials;
import dev.stripeconnector.account.NotInstalled;
import dev.stripeconnector.account.PlatformWebhook;
import dev.stripeconnector.common.DatabaseRetry;
import dev.stripeconnector.common.InvalidInput;
import dev.stripeconnector.common.ServiceClock;
import dev.stripeconnector.common.Source;
import dev.stripeconnector.crypto.Secret;
import dev.stripeconnector.partner.PartnerId;
import dev.stripeconnector.stripe.StripeAccount;
import dev.stripeconnector.stripe.StripeApiGateway;
import dev.stripeconnector.stripe.StripeConnectGateway;
import dev.stripeconnector.stripe.StripeFailure;
import dev.stripeconnector.stripe.TokenResponse;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Keeps connections useful: verify, refresh, disconnect, credentials, and the proxy's target. Each
 * names the partner whose installation it works on; an account id is looked up within that partner only.
 * Blocking: callers run it on worker threads. No transaction (and no pooled connection) is held
 * while Stripe is being asked; what Stripe says is written afterwards, to the same connection only.
 *
 * <p>Only four things change a connection's status: Stripe confirming that the platform lost
 * access to the account (verify), Stripe refusing the refresh token (refresh), a verified
 * deauthorization (webhook), and the partner's disconnect once Stripe confirmed it (or the partner
 * forced it). A rejected platform key or a missing permission is recorded on the installation as what
 * to fix and leaves the connection alone; Stripe being unavailable changes nothing.
 */
@ApplicationScoped
public class ConnectionService {

    private static final Logger LOG = Logger.getLogger(ConnectionService.class);
    /** A refresh that finds the tokens rolled this recently answers with them instead of rolling again. */
    static final Duration RECENT_REFRESH = Duration.ofSeconds(10);
    /** How long a refresh holds the connection; longer than the token call's deadline, and it lapses if the replica dies. */
    static final Duration LEASE = Duration.ofSeconds(40);
    private static final Duration WAIT_STEP = Duration.ofMillis(100);

    private final StripeApiGateway api;
    private final StripeConnectGateway connect;
    private final AccountService accounts;
    private final ServiceClock clock;
    private final InstallationEvents events;
    private final Installations installations;
    private final AuditTrail audit;

    public ConnectionService(StripeApiGateway api, StripeConnectGateway connect, AccountService accounts, ServiceClock clock,
                             InstallationEvents events, Installations installations, AuditTrail audit) {
        this.audit = audit;
        this.api = api;
        this.installations = installations;
        this.connect = connect;
        this.accounts = accounts;
        this.clock = clock;
        this.events = events;
    }

    /**
     * One connection as it was read, so that a later write only touches that same connection, with the
     * secret key it is used with (the effective one) and where that key comes from.
     */
    private record Target(PartnerId partner, UUID id, String accountId, String stripeUserId, Instant connectedAt, boolean livemode,
                          String platformAccountId, Secret secretKey, Source secretKeySource) {

        boolean sameConnection(AccountConnector installation) {
            return installation != null && stripeUserId.equals(installation.stripeUserId)
                    && Objects.equals(connectedAt, installation.connectedAt);
        }

        @Override
        public String toString() {
            return "Target[accountId=" + accountId + ", stripeUserId=" + stripeUserId + "]";
        }
    }

    /** The connection of {@code installation} and the key to use it with; no key (own or the console's) is a 422 naming what is missing. */
    private static Target target(PartnerId partner, InstallationState installation) {
        if (installation.clientSecret() == null) {
            throw MissingCredentials.of(installation.missing());
        }
        return new Target(partner, installation.id(), installation.accountId(), installation.stripeUserId(), installation.connectedAt(),
                Boolean.TRUE.equals(installation.livemode()), installation.connectionPlatformAccount(), installation.clientSecret(),
                installation.clientSecretSource());
    }

    // ---- verify ----

    /**
     * Calls {@code GET /v1/account} for the connected account: records what Stripe says of it, or
     * that the platform lost access to it (status {@code revoked}; the tokens stay encrypted). A
     * rejected platform key or a missing permission is recorded as what to fix and answered as a
     * problem; the connection is left alone.
     */
    public AccountConnectorView verify(PartnerId partner, String accountId) {
        InstallationState state = installations.state(partner, accountId).orElseThrow(() -> new NotInstalled(accountId));
        if (!state.hasConnection()) {
            throw notConnected(state.standing());
        }
        Target target = target(partner, state);
        StripeAccount account;
        try {
            account = api.connectedAccount(target.secretKey(),
                    new StripeApiGateway.Connection(target.stripeUserId(), target.livemode(), target.platformAccountId())).await().indefinitely();
        } catch (StripeFailure failure) {
            switch (failure.kind()) {
                case ACCESS_REVOKED -> {
                    LOG.infof("Stripe confirmed that the platform lost access to the account of %s (%s)", accountId, failure.code());
                    return write(target, installation -> installation.accessRevoked("access_revoked",
                            sentence("Stripe says the platform no longer has access to " + target.stripeUserId()
                                    + (failure.stripeMessage() != null ? ": " + failure.stripeMessage() : ""))
                                    + " Connect the account again to restore it", clock.now()));
                }
                case PLATFORM_KEY_REJECTED, PERMISSION_MISSING -> {
                    recordProblem(target, failure);
                    throw failure;
                }
                default -> throw failure;
            }
        }
        return write(target, installation -> installation.verified(account.businessName(), account.email(), account.country(),
                account.chargesEnabled(), account.payoutsEnabled(), clock.now()));
    }

    /** A rejected key or missing permission, recorded on the installation with what to fix. */
    private void recordProblem(Target target, StripeFailure failure) {
        String code = failure.kind() == StripeFailure.Kind.PLATFORM_KEY_REJECTED ? "platform_key_rejected" : "permission_missing";
        String key = "the " + (target.secretKeySource() == Source.ACCOUNT ? "account's own" : "console's")
                + " secret key (…" + target.secretKey().last4() + ")";
        String fix = failure.kind() == StripeFailure.Kind.PLATFORM_KEY_REJECTED
                ? "Stripe rejected " + key + ": replace it with a working key of the same platform. The connection itself was left alone. "
                : "Stripe says " + key + " or the connection's scope lacks a permission: give the key the permission, or connect with"
                + " a wider scope. The connection itself was left alone. ";
        write(target, installation -> installation.recordError(code, fix + "Stripe said: " + failure.getMessage(), clock.now()));
    }

    private interface Change {
        void apply(AccountConnector installation);
    }

    /** Applies {@code change} to the same connection, locked, and answers the installation's view. */
    private AccountConnectorView write(Target target, Change change) {
        return QuarkusTransaction.requiringNew().call(() -> {
            AccountConnector installation = AccountConnector.findByIdForUpdate(target.partner(), target.id()).orElseThrow(() -> new NotInstalled(target.accountId()));
            if (target.sameConnection(installation)) {
                InstallationEvents.Before before = events.before(installation);
                change.apply(installation);
                events.changed(before, installation);
            }
            return accounts.view(installation);
        });
    }

    // ---- refresh ----

    /** What a refresh finds when it looks at the connection. */
    private sealed interface Step {
        record Done(AccountConnectorView view) implements Step {
        }

        record Wait() implements Step {
        }

        record FailedElsewhere(String failure) implements Step {
        }

        record Claimed(Target target, Secret refreshToken) implements Step {
            @Override
            public String toString() {
                return "Claimed[" + target + "]";
            }
        }
    }

    /**
     * Rolls the access token. The connection is claimed with a short lease committed before Stripe
     * is called (no lock or pooled connection is held during the call); concurrent refreshes on any
     * replica wait for it and answer with the tokens it rolled, so Stripe sees one request per
     * burst. A lease lapses after {@link #LEASE} if its replica dies.
     */
    public AccountConnectorView refresh(PartnerId partner, String accountId) {
        UUID me = UUID.randomUUID();
        Instant[] waitingSince = new Instant[1];
        long giveUpAt = System.nanoTime() + LEASE.plusSeconds(5).toNanos();
        Step.Claimed claimed;
        while (true) {
            Step step = QuarkusTransaction.requiringNew().call(() -> look(partner, accountId, me, waitingSince));
            if (step instanceof Step.Done done) {
                return done.view();
            }
            if (step instanceof Step.FailedElsewhere failed) {
                throw new NotConfirmed("A concurrent refresh of the connection of account '" + accountId + "' got no answer from Stripe ("
                        + failed.failure() + "); nothing was changed, retry", dev.stripeconnector.common.Failure.STRIPE_UNAVAILABLE, null);
            }
            if (step instanceof Step.Claimed c) {
                claimed = c;
                break;
            }
            if (System.nanoTime() > giveUpAt) {
                throw new RefreshInProgress(accountId);
            }
            pause();
        }

        Target target = claimed.target();
        TokenResponse tokens;
        try {
            tokens = connect.refresh(target.secretKey(), claimed.refreshToken(), target.stripeUserId(),
                    target.livemode()).await().indefinitely();
        } catch (StripeFailure failure) {
            DatabaseRetry.write(() -> QuarkusTransaction.requiringNew().call(() -> {
                AccountConnector installation = AccountConnector.findByIdForUpdate(target.partner(), target.id()).orElse(null);
                if (installation == null) {
                    return null;
                }
                release(installation, me);
                if (target.sameConnection(installation)) {
                    InstallationEvents.Before before = events.before(installation);
                    switch (failure.kind()) {
                        case GRANT_REFUSED -> installation.reconnectNeeded(failure.code(), "Stripe refused the refresh token ("
                                + failure.code() + "): connect the account again." + (failure.stripeMessage() != null ? " Stripe said: "
                                + failure.stripeMessage() : ""), clock.now());
                        case PLATFORM_KEY_REJECTED, PERMISSION_MISSING -> { }
                        default -> {
                            installation.refreshFailedAt = databaseNow();
                            installation.refreshFailure = failure.code();
                        }
                    }
                    events.changed(before, installation);
                }
                return null;
            }));
            if (failure.kind() == StripeFailure.Kind.PLATFORM_KEY_REJECTED || failure.kind() == StripeFailure.Kind.PERMISSION_MISSING) {
                recordProblem(target, failure);
            }
            if (failure.kind() == StripeFailure.Kind.GRANT_REFUSED) {
                LOG.infof("Stripe refused to refresh the tokens of account %s: %s", accountId, failure.code());
                throw new ReconnectNeeded("Stripe refused the refresh token (" + failure.code() + "): the account must be connected"
                        + " again with a new authorization; the installation's status is now error");
            }
            throw failure;
        }
        // Stripe rolled the tokens: they must be stored even if the database is briefly unreachable.
        return DatabaseRetry.write(() -> QuarkusTransaction.requiringNew().call(() -> {
            AccountConnector installation = AccountConnector.findByIdForUpdate(target.partner(), target.id())
                    .orElseThrow(() -> new NotInstalled(accountId));
            release(installation, me);
            InstallationEvents.Before before = events.before(installation);
            // Only into the same connection, and only while it still has one (a deauthorization may have wiped it meanwhile).
            if (target.sameConnection(installation) && before.hasConnection()) {
                installation.rollTokens(tokens.accessToken(), tokens.refreshToken(), tokens.scope(), tokens.publishableKey(),
                        databaseNow(), clock.now());
                events.changed(before, installation);
                LOG.infof("Rolled the tokens of account %s", accountId);
            }
            return accounts.view(installation);
        }));
    }

    private Step look(PartnerId partner, String accountId, UUID me, Instant[] waitingSince) {
        AccountConnector installation = AccountConnector.findByAccountIdForUpdate(partner, accountId)
                .orElseThrow(() -> new NotInstalled(accountId));
        InstallationState state = installations.stateOf(installation);
        if (state.status() == ConnectorStatus.ERROR && state.hasConnection()) {
            throw new ReconnectNeeded("The connection of account '" + accountId + "' needs a new authorization ("
                    + installation.lastError + "): connect it again");
        }
        if (!state.standing().connected()) {
            throw notConnected(state.standing());
        }
        Instant dbNow = databaseNow();
        if (waitingSince[0] == null) {
            waitingSince[0] = dbNow;
        }
        if (installation.tokensRefreshedAt != null && installation.tokensRefreshedAt.isAfter(dbNow.minus(RECENT_REFRESH))) {
            return new Step.Done(accounts.view(installation));
        }
        if (installation.refreshFailedAt != null && !installation.refreshFailedAt.isBefore(waitingSince[0])) {
            return new Step.FailedElsewhere(installation.refreshFailure);
        }
        if (installation.refreshLeaseUntil != null && installation.refreshLeaseUntil.isAfter(dbNow)) {
            return new Step.Wait();
        }
        if (installation.refreshToken == null) {
            throw new ReconnectNeeded("The connection of account '" + accountId + "' has no refresh token: connect it again");
        }
        Target target = target(partner, state);
        installation.refreshLeaseOwner = me;
        installation.refreshLeaseUntil = dbNow.plus(LEASE);
        return new Step.Claimed(target, installation.refreshToken);
    }

    private static void release(AccountConnector installation, UUID me) {
        if (me.equals(installation.refreshLeaseOwner)) {
            installation.refreshLeaseOwner = null;
            installation.refreshLeaseUntil = null;
        }
    }

    private static void pause() {
        try {
            Thread.sleep(WAIT_STEP);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for a concurrent refresh", e);
        }
    }

    // ---- disconnect and remove ----

    /** What telling Stripe came to: whether it confirmed, and in words what happened (for the answer). */
    private record Told(boolean notified, String failure) {
    }

    /**
     * Deauthorizes the connection of {@code state} at Stripe (with the client ID it was made with) when
     * Stripe still knows of it. When Stripe does not confirm, nothing may change unless {@code force}:
     * the failure is thrown, saying what {@code unchanged} and how to force it.
     */
    private Told tellStripe(InstallationState state, boolean force, String unchanged) {
        boolean connectedAtStripe = state.stripeUserId() != null && state.status() != ConnectorStatus.REVOKED
                && state.status() != ConnectorStatus.DISCONNECTED;
        if (!connectedAtStripe) {
            return new Told(false, null);
        }
        String clientId = state.connectedClientId() != null ? state.connectedClientId() : state.clientId();
        try {
            if (state.clientSecret() == null || clientId == null) {
                MissingCredentials.requireNone(state.missing());
            }
            connect.deauthorize(state.clientSecret(), clientId, state.stripeUserId()).await().indefinitely();
            return new Told(true, null);
        } catch (StripeFailure | MissingCredentials failure) {
            if (!force) {
                throw new NotConfirmed(failure.getMessage() + "; " + unchanged + ". Retry, or pass force=true to go ahead without"
                        + " telling Stripe", failure.failure(), failure.retryAfter());
            }
            return new Told(false, failure.getMessage());
        }
    }

    /**
     * Disconnects the installation and keeps it: deauthorizes at Stripe, then wipes the connection and
     * its tokens (status {@code disconnected}); the account's own values stay, so a new link can be
     * made at once. When Stripe does not confirm, nothing changes unless {@code force}: then the
     * connection is wiped here and the installation records that Stripe was not told. A connection
     * Stripe already revoked is wiped without asking Stripe again. An installation without a connection
     * (never connected, or disconnected already) is answered as it is.
     */
    public AccountConnectorView disconnectKeeping(PartnerId partner, String accountId, boolean force) {
        InstallationState state = installations.state(partner, accountId).orElseThrow(() -> new NotInstalled(accountId));
        if (state.stripeUserId() == null) {
            return accounts.view(partner, state);
        }
        Told told = tellStripe(state, force, "the connection was left as it was");
        String note = told.failure() == null ? null : "Stripe did not confirm the disconnect (" + told.failure() + "): the connection was"
                + " wiped here (force=true) and Stripe was not told, so the Stripe account may still list the platform";
        AccountConnectorView view = QuarkusTransaction.requiringNew().call(() -> {
            AccountConnector installation = AccountConnector.findByIdForUpdate(partner, state.id()).orElseThrow(() -> new NotInstalled(accountId));
            // Only the connection Stripe was told about: one made meanwhile is left for its own disconnect.
            if (Objects.equals(installation.stripeUserId, state.stripeUserId()) && Objects.equals(installation.connectedAt, state.connectedAt())) {
                InstallationEvents.Before before = events.before(installation);
                installation.disconnected(note, clock.now());
                // Forced: Stripe did not confirm, and the caller chose to wipe the connection anyway.
                audit.record(partner, told.failure() != null ? "installation.force-disconnect" : "installation.disconnect", accountId,
                        null, java.util.List.of());
                // Last: the event takes the outbox's lock, held until commit.
                events.disconnected(installation, before, told.notified(), told.failure() != null);
            }
            return accounts.view(installation);
        });
        LOG.infof("Disconnected the installation of account %s (Stripe notified: %s)", accountId, told.notified());
        return view;
    }

    /**
     * Deauthorizes the connection at Stripe (with the client ID it was made with), then removes the
     * installation and its secrets. When Stripe does not confirm, nothing is removed unless
     * {@code force} says to remove it anyway.
     */
    public DisconnectResult disconnect(PartnerId partner, String accountId, boolean force) {
        InstallationState state = installations.state(partner, accountId).orElseThrow(() -> new NotInstalled(accountId));
        String ownPlatform = state.clientIdSource() == Source.ACCOUNT ? state.clientId() : null;
        Told told = tellStripe(state, force, "nothing was removed");
        String detail = told.notified()
                ? "Stripe account " + state.stripeUserId() + " was disconnected at Stripe; the installation was removed"
                : told.failure() != null
                ? "Stripe did not confirm the disconnect (" + told.failure() + "); the installation was removed anyway (force=true) and Stripe was not told"
                : "The installation was not connected to Stripe; it was removed";
        QuarkusTransaction.requiringNew().run(() -> {
            AccountConnector installation = AccountConnector.findByIdForUpdate(partner, state.id()).orElse(null);
            if (installation == null) {
                return;
            }
            if (ownPlatform != null && AccountConnector.countOnOwnPlatform(partner, ownPlatform, state.id()) == 0) {
                PlatformWebhook.remove(partner, ownPlatform);
            }
            InstallationEvents.Before before = events.before(installation);
            installation.delete();
            audit.record(partner, told.failure() != null ? "installation.force-remove" : "installation.remove", accountId, null,
                    java.util.List.of());
            // Last: the event takes the outbox's lock, held until commit.
            events.removed(installation, before, told.notified());
        });
        LOG.infof("Removed the installation of account %s (Stripe notified: %s)", accountId, told.notified());
        return new DisconnectResult(accountId, true, told.notified(), detail);
    }

    // ---- credentials and the proxy ----

    /**
     * The connection's credentials (the caller's role was checked), in one statement that also records
     * the read with the reader's name; nothing is recorded when there is no connection to read, and the
     * same statement says why (not installed, values missing, not connected).
     */
    public Credentials credentials(PartnerId partner, String accountId, String apiKeyName) {
        Installations.CredentialsRead read = installations.readCredentials(partner, accountId, apiKeyName, clock.now())
                .orElseThrow(() -> new NotInstalled(accountId));
        if (!read.standing().connected()) {
            throw notConnected(read.standing());
        }
        LOG.debugf("Credentials of account %s read by API key '%s'", accountId, apiKeyName);
        return new Credentials(read.stripeUserId(), read.livemode(), read.scope(), read.publishableKey(), read.accessToken().reveal());
    }

    /** The secret key and connected account the proxy calls Stripe with. */
    public record ProxyTarget(String stripeUserId, Secret secretKey) {
        @Override
        public String toString() {
            return "ProxyTarget[stripeUserId=" + stripeUserId + "]";
        }
    }

    /** The proxy's target in one statement, which also says why there is none (not installed, not connected, no key). */
    public ProxyTarget proxyTarget(PartnerId partner, String accountId) {
        return proxyTarget(installations.proxyTarget(partner, accountId).orElseThrow(() -> new NotInstalled(accountId)));
    }

    /**
     * The SDK route's target, named by the {@code Stripe-Account} an SDK sends: the installation's account id, or the
     * {@code acct_…} id of a connected installation where it names exactly one installation of the partner.
     */
    public ProxyTarget proxyTargetNamed(PartnerId partner, String stripeAccount) {
        if (stripeAccount == null || stripeAccount.isBlank()) {
            throw InvalidInput.of("Stripe-Account", "must name the installation: its account id (the SDK's stripeAccount option)");
        }
        Optional<Installations.ProxyRead> installation = installations.proxyTarget(partner, stripeAccount);
        if (installation.isPresent() || !stripeAccount.startsWith("acct_")) {
            return proxyTarget(installation.orElseThrow(() -> new NotInstalled(stripeAccount)));
        }
        List<Installations.ProxyRead> connected = installations.proxyTargetsOfStripeAccount(partner, stripeAccount);
        if (connected.size() > 1) {
            throw InvalidInput.of("Stripe-Account", "names a Stripe account connected to more than one of your installations:"
                    + " send the installation's account id instead");
        }
        return proxyTarget(connected.stream().findFirst().orElseThrow(() -> new NotInstalled(stripeAccount)));
    }

    private static ProxyTarget proxyTarget(Installations.ProxyRead read) {
        if (!read.standing().connected()) {
            throw notConnected(read.standing());
        }
        if (read.secretKey() == null) {
            throw MissingCredentials.of(read.standing().missing());
        }
        return new ProxyTarget(read.stripeUserId(), read.secretKey());
    }

    // ---- helpers ----

    /** Why there is no connection to use: values still missing (422, naming them), or simply not connected (409). */
    private static RuntimeException notConnected(Standing installation) {
        if (installation.status() == ConnectorStatus.NEEDS_CREDENTIALS) {
            return MissingCredentials.of(installation.missing());
        }
        return new NotConnected("The installation of account '" + installation.accountId() + "' is " + installation.status().json()
                + (installation.status() == ConnectorStatus.REVOKED && installation.hasConnection()
                        ? " (Stripe says the platform lost access)" : "")
                + ", not connected: authorize it first");
    }

    /** Ends {@code text} with exactly one full stop. */
    private static String sentence(String text) {
        return text.endsWith(".") ? text : text + ".";
    }

    private static Instant databaseNow() {
        return ((java.time.OffsetDateTime) AccountConnector.getEntityManager()
                .createNativeQuery("select clock_timestamp()", java.time.OffsetDateTime.class).getSingleResult()).toInstant();
    }
}
