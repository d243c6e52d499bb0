package dev.stripeconnector.stripe;

import dev.stripeconnector.common.InvalidInput;
import dev.stripeconnector.crypto.Secret;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/** The connector's own calls to Stripe's API; each completes with a checked success or a {@link StripeFailure}. */
@ApplicationScoped
public class StripeApiGateway {

    private final StripeApiClient client;
    private final StripeRetry retry;
    private final StripeMetrics metrics;

    StripeApiGateway(@RestClient StripeApiClient client, StripeRetry retry, StripeMetrics metrics) {
        this.client = client;
        this.retry = retry;
        this.metrics = metrics;
    }

    /** What the connection was made with, so a "no access" answer can be told from a platform key problem. */
    public record Connection(String stripeUserId, boolean livemode, String platformAccountId) {
    }

    /**
     * {@code GET /v1/account} as the connected account sees it. Stripe answers a revoked
     * connection with 403 {@code account_invalid}, but so it answers every connection when the
     * platform key belongs to another platform or mode: the access counts as revoked only once the
     * same call without {@code Stripe-Account} names the key's platform, in the connection's mode,
     * and it is the platform the connection was made with. Otherwise the failure is the platform
     * key's: a key that may not read its own account never confirms a revocation.
     */
    public Uni<StripeAccount> connectedAccount(Secret secretKey, Connection connection) {
        return read(secretKey, connection.stripeUserId())
                .onFailure(StripeFailure.class).recoverWithUni(failure -> {
                    StripeFailure stripe = (StripeFailure) failure;
                    if (stripe.kind() != StripeFailure.Kind.ACCESS_REVOKED) {
                        return Uni.createFrom().failure(stripe);
                    }
                    return confirmRevocation(secretKey, connection, stripe);
                });
    }

    private Uni<StripeAccount> confirmRevocation(Secret secretKey, Connection connection, StripeFailure noAccess) {
        StripeKeys.Mode keyMode = StripeKeys.modeOf(secretKey.reveal());
        if ((keyMode == StripeKeys.Mode.LIVE) != connection.livemode()) {
            return Uni.createFrom().failure(platformMismatch("the platform's secret key is a " + keyMode.json()
                    + " key but the connection is in " + (connection.livemode() ? "live" : "test") + " mode"));
        }
        return platformKey(secretKey).flatMap(platform -> {
            if (platform.accountId() == null) {
                // A key that may not read its own account cannot be tied to the connection's platform:
                // its "no access" is no evidence that the connection was revoked.
                return Uni.createFrom().failure(new StripeFailure(StripeFailure.Kind.PERMISSION_MISSING, "platform_unknown",
                        noAccess.stripeMessage(), "Stripe refused access to the account, and the platform's secret key may not read"
                        + " its own platform account (GET /v1/account), so a revocation cannot be told from a key of another"
                        + " platform: give the key permission to read the account. The connection was left alone", null, null, true));
            }
            if (connection.platformAccountId() != null && !platform.accountId().equals(connection.platformAccountId())) {
                return Uni.createFrom().failure(platformMismatch("the platform's secret key belongs to " + platform.accountId()
                        + ", not to the platform the connection was made with (" + connection.platformAccountId() + ")"));
            }
            return Uni.createFrom().failure(new StripeFailure(StripeFailure.Kind.ACCESS_REVOKED, noAccess.code(),
                    noAccess.stripeMessage(), "Stripe says the platform no longer has access to the account, and the platform's key works",
                    null, null, true));
        });
    }

    private static StripeFailure platformMismatch(String why) {
        return new StripeFailure(StripeFailure.Kind.PLATFORM_KEY_REJECTED, "platform_mismatch", null,
                "Stripe refused access to the account because " + why + ": fix the secret key, the connection was left alone",
                null, null, true);
    }

    /** {@code GET /v1/account} without {@code Stripe-Account}: which platform a secret key belongs to, if it works at all. */
    public Uni<PlatformKey> platformKey(Secret secretKey) {
        StripeKeys.Mode mode = StripeKeys.modeOf(secretKey.reveal());
        return read(secretKey, null)
                .map(account -> new PlatformKey(account.id(), mode))
                .onFailure(StripeFailure.class).recoverWithUni(failure -> switch (((StripeFailure) failure).kind()) {
                    // The key authenticated but may not read the account: it works, its platform is unknown.
                    case PERMISSION_MISSING -> Uni.createFrom().item(new PlatformKey(null, mode));
                    // Not even its own account: the key does not work as a platform key.
                    case ACCESS_REVOKED -> Uni.createFrom().failure(platformMismatch("the secret key cannot read its own platform account"));
                    default -> Uni.createFrom().failure(failure);
                });
    }

    /**
     * Blocking: which platform a secret key a caller sent belongs to. A key Stripe rejects is the
     * caller's field error; an unreachable Stripe fails the request with nothing stored.
     */
    public PlatformKey checkNewKey(String field, Secret key) {
        try {
            return platformKey(key).await().indefinitely();
        } catch (StripeFailure failure) {
            if (failure.kind() == StripeFailure.Kind.PLATFORM_KEY_REJECTED) {
                throw InvalidInput.of(field, "was rejected by Stripe (invalid, expired or rolled)"
                        + (failure.stripeMessage() != null ? ": " + failure.stripeMessage() : ""));
            }
            throw failure;
        }
    }

    private Uni<StripeAccount> read(Secret secretKey, String stripeAccount) {
        // Each GET /v1/account is one verify answer, as Stripe classified it (a revocation's confirmation is a second one).
        return metrics.counted(StripeMetrics.Call.VERIFY, retry.call(() -> client.account(StripeConnectGateway.bearer(secretKey), stripeAccount),
                        StripeRetry.Resend.SAFE, retry.callDeadline())
                .map(account -> StripeAnswers.account(account, stripeAccount)));
    }
}
