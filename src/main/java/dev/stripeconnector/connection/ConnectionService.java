package dev.stripeconnector.connection;

import dev.stripeconnector.account.AccountConnector;
import dev.stripeconnector.account.AccountConnectorView;
import dev.stripeconnector.account.ConnectorStatus;
import dev.stripeconnector.account.EffectiveCredentials;
import dev.stripeconnector.common.ApiProblem;
import dev.stripeconnector.connector.ConnectorSettings;
import dev.stripeconnector.security.ApiKeys;
import dev.stripeconnector.stripe.StripeAccessRevokedException;
import dev.stripeconnector.stripe.StripeAccount;
import dev.stripeconnector.stripe.StripeApiGateway;
import dev.stripeconnector.stripe.StripeConnectGateway;
import dev.stripeconnector.stripe.StripeOAuthException;
import dev.stripeconnector.stripe.StripeUnavailableException;
import dev.stripeconnector.stripe.TokenResponse;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.jboss.logging.Logger;

/**
 * Keeps connections useful: verify, refresh, disconnect and credentials. Blocking: callers run
 * it on worker threads. Calls to Stripe happen outside transactions, except for refresh, which
 * holds the installation's row lock across the call so that replicas roll the tokens once.
 */
@ApplicationScoped
public class ConnectionService {

    private static final Logger LOG = Logger.getLogger(ConnectionService.class);
    /** A refresh that finds the tokens rolled this recently returns them instead of rolling again. */
    static final Duration RECENT_REFRESH = Duration.ofSeconds(10);

    private final StripeApiGateway api;
    private final StripeConnectGateway connect;
    private final ApiKeys apiKeys;

    public ConnectionService(StripeApiGateway api, StripeConnectGateway connect, ApiKeys apiKeys) {
        this.api = api;
        this.connect = connect;
        this.apiKeys = apiKeys;
    }

    /** What a call to Stripe for one installation needs, read in a short transaction. */
    private record Target(String accountId, String stripeUserId, EffectiveCredentials credentials) {
    }

    private static Target connectedTarget(String accountId) {
        return QuarkusTransaction.requiringNew().call(() -> {
            AccountConnector installation = installation(accountId);
            requireConnected(installation);
            return new Target(accountId, installation.stripeUserId, credentials(installation));
        });
    }

    /** Calls {@code GET /v1/account}: records what Stripe says of the account, or that access was revoked. */
    public AccountConnectorView verify(String accountId) {
        Target target = connectedTarget(accountId);
        StripeAccount account;
        try {
            account = api.account(target.credentials().clientSecret(), target.stripeUserId()).await().indefinitely();
        } catch (StripeAccessRevokedException revoked) {
            LOG.infof("Stripe revoked the access to the account of %s (%s)", accountId, revoked.code());
            return QuarkusTransaction.requiringNew().call(() -> {
                AccountConnector installation = installation(accountId);
                if (target.stripeUserId().equals(installation.stripeUserId)) {
                    installation.revoke(revoked.code(), revoked.reason(), now());
                }
                return view(installation);
            });
        } catch (StripeUnavailableException e) {
            throw unavailable(e);
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            AccountConnector installation = installation(accountId);
            if (target.stripeUserId().equals(installation.stripeUserId)) {
                Instant now = now();
                installation.lastVerifiedAt = now;
                installation.accountBusinessName = account.businessName();
                installation.accountEmail = account.email();
                installation.accountCountry = account.country();
                installation.chargesEnabled = account.chargesEnabled();
                installation.payoutsEnabled = account.payoutsEnabled();
                installation.updatedAt = now;
            }
            return view(installation);
        });
    }

    /** The outcome of a refresh, decided inside its transaction and answered after the commit. */
    private sealed interface Refresh {
        record Done(AccountConnectorView view) implements Refresh {
        }

        record Refused(StripeOAuthException error) implements Refresh {
        }
    }

    /**
     * Rolls the access token. The installation's row stays locked from before the token request
     * until the new tokens are stored, so refreshes on every replica queue up; one that then
     * finds the tokens rolled moments ago answers with them instead of rolling again.
     */
    public AccountConnectorView refresh(String accountId) {
        Refresh outcome;
        try {
            outcome = QuarkusTransaction.requiringNew().timeout(120).call(() -> {
                AccountConnector installation = AccountConnector.findByAccountIdForUpdate(accountId).orElseThrow(() -> notInstalled(accountId));
                requireConnected(installation);
                Instant dbNow = databaseNow();
                if (installation.tokensRefreshedAt != null && installation.tokensRefreshedAt.isAfter(dbNow.minus(RECENT_REFRESH))) {
                    return new Refresh.Done(view(installation));
                }
                if (installation.refreshToken == null) {
                    throw ApiProblem.conflict("The connection of account '" + accountId + "' has no refresh token: reconnect it");
                }
                EffectiveCredentials credentials = credentials(installation);
                try {
                    TokenResponse tokens = connect.refresh(credentials.clientSecret(), installation.refreshToken).await().indefinitely();
                    installation.accessToken = tokens.accessToken();
                    if (tokens.refreshToken() != null) {
                        installation.refreshToken = tokens.refreshToken();
                    }
                    if (tokens.scope() != null) {
                        installation.scope = tokens.scope();
                    }
                    if (tokens.publishableKey() != null) {
                        installation.publishableKey = tokens.publishableKey();
                    }
                    installation.tokensRefreshedAt = dbNow;
                    installation.clearError();
                    installation.updatedAt = now();
                    LOG.infof("Rolled the tokens of account %s", accountId);
                    return new Refresh.Done(view(installation));
                } catch (StripeOAuthException refused) {
                    Instant now = now();
                    installation.status = ConnectorStatus.ERROR;
                    installation.lastError = refused.error();
                    installation.lastErrorDescription = "invalid_grant".equals(refused.error())
                            ? "reconnect needed" + (refused.description() != null ? ": " + refused.description() : "")
                            : refused.description();
                    installation.lastErrorAt = now;
                    installation.updatedAt = now;
                    LOG.infof("Stripe refused to refresh the tokens of account %s: %s", accountId, refused.error());
                    return new Refresh.Refused(refused);
                }
            });
        } catch (StripeUnavailableException e) {
            throw unavailable(e);
        }
        return switch (outcome) {
            case Refresh.Done done -> done.view();
            case Refresh.Refused refused -> throw new ApiProblem(409, "reconnect-needed", "Reconnect needed",
                    "Stripe refused the refresh token (" + refused.error().error() + "): the account must be connected again"
                            + " with a new authorization; the installation's status is now error");
        };
    }

    /**
     * Deauthorizes the connection at Stripe, then removes the installation and its secrets. When
     * Stripe cannot be told, nothing is removed unless {@code force} says to remove it anyway.
     */
    public DisconnectResult disconnect(String accountId, boolean force) {
        record Plan(boolean tellStripe, String stripeUserId, EffectiveCredentials credentials) {
        }
        Plan plan = QuarkusTransaction.requiringNew().call(() -> {
            AccountConnector installation = installation(accountId);
            boolean tellStripe = installation.stripeUserId != null && installation.status != ConnectorStatus.REVOKED;
            return new Plan(tellStripe, installation.stripeUserId, credentials(installation));
        });

        boolean notified = false;
        String detail;
        if (!plan.tellStripe()) {
            detail = "The installation was not connected to Stripe; it was removed";
        } else {
            try {
                if (!plan.credentials().complete()) {
                    throw new StripeUnavailableException("no effective client ID and secret key to call Stripe with", null);
                }
                connect.deauthorize(plan.credentials().clientSecret(), plan.credentials().clientId(), plan.stripeUserId())
                        .await().indefinitely();
                notified = true;
                detail = "Stripe account " + plan.stripeUserId() + " was disconnected at Stripe; the installation was removed";
            } catch (StripeUnavailableException | StripeOAuthException failure) {
                String why = failure instanceof StripeOAuthException refused
                        ? "Stripe refused the deauthorization (" + refused.error() + ")"
                        : "Stripe could not be reached (" + ((StripeUnavailableException) failure).reason() + ")";
                if (!force) {
                    int status = failure instanceof StripeUnavailableException u && u.rateLimited() ? 503 : 502;
                    throw new ApiProblem(status, "stripe-unavailable", "Stripe did not confirm the disconnect",
                            why + "; nothing was removed. Retry, or pass force=true to remove the installation without telling Stripe");
                }
                detail = why + "; the installation was removed anyway (force=true) and Stripe was not told";
            }
        }
        QuarkusTransaction.requiringNew().run(() -> AccountConnector.delete("accountId", accountId));
        LOG.infof("Removed the installation of account %s (Stripe notified: %s)", accountId, notified);
        return new DisconnectResult(accountId, true, notified, detail);
    }

    /** The connection's credentials, for API keys allowed to read them; every read is recorded. */
    public Credentials credentials(String accountId, String apiKeyName) {
        if (apiKeyName == null || !apiKeys.mayReadCredentials(apiKeyName)) {
            throw new ApiProblem(403, "forbidden", "Forbidden",
                    "This API key may not read credentials (see CONNECTOR_CREDENTIAL_READERS)");
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            AccountConnector installation = installation(accountId);
            requireConnected(installation);
            CredentialRead.record(accountId, apiKeyName, now());
            LOG.infof("Credentials of account %s read by API key '%s'", accountId, apiKeyName);
            return new Credentials(installation.stripeUserId, installation.livemode, installation.scope,
                    installation.publishableKey, installation.accessToken.reveal());
        });
    }

    /** The secret key and connected account the proxy calls Stripe with. */
    public record ProxyTarget(String stripeUserId, dev.stripeconnector.crypto.Secret secretKey) {
        @Override
        public String toString() {
            return "ProxyTarget[stripeUserId=" + stripeUserId + "]";
        }
    }

    public ProxyTarget proxyTarget(String accountId) {
        Target target = connectedTarget(accountId);
        return new ProxyTarget(target.stripeUserId(), target.credentials().clientSecret());
    }

    private static AccountConnector installation(String accountId) {
        return AccountConnector.findByAccountId(accountId).orElseThrow(() -> notInstalled(accountId));
    }

    private static ApiProblem notInstalled(String accountId) {
        return ApiProblem.notFound("The connector is not installed for account '" + accountId + "'");
    }

    private static void requireConnected(AccountConnector installation) {
        if (!installation.isConnected()) {
            throw new ApiProblem(409, "not-connected", "Not connected",
                    "The installation of account '" + installation.accountId + "' is " + installation.status.json()
                            + ", not connected: authorize it first");
        }
    }

    private static EffectiveCredentials credentials(AccountConnector installation) {
        return EffectiveCredentials.resolve(installation, ConnectorSettings.current());
    }

    private static AccountConnectorView view(AccountConnector installation) {
        return AccountConnectorView.of(installation, credentials(installation));
    }

    static ApiProblem unavailable(StripeUnavailableException e) {
        return new ApiProblem(e.rateLimited() ? 503 : 502, "stripe-unavailable", "Stripe unavailable",
                "Stripe did not give a usable answer (" + e.reason() + "); nothing was changed, the call can be retried");
    }

    private static Instant databaseNow() {
        return ((java.time.OffsetDateTime) AccountConnector.getEntityManager()
                .createNativeQuery("select clock_timestamp()", java.time.OffsetDateTime.class).getSingleResult()).toInstant();
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
