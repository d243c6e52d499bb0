package dev.stripeconnector.stripe;

import dev.stripeconnector.crypto.Secret;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * The connector's OAuth calls to Stripe Connect. Each completes with a checked success or fails
 * with a {@link StripeFailure}; no other code sees an HTTP status from Stripe.
 *
 * <p>A code exchange is sent again only when it provably never left: a code is single-use, and
 * sending it twice revokes every token issued from it. A refresh is sent again only when Stripe
 * provably did not act on it, since a rolled refresh token would be lost with the answer.
 */
@ApplicationScoped
public class StripeConnectGateway {

    private final StripeConnectClient client;
    private final StripeRetry retry;
    private final StripeMetrics metrics;

    StripeConnectGateway(@RestClient StripeConnectClient client, StripeRetry retry, StripeMetrics metrics) {
        this.client = client;
        this.retry = retry;
        this.metrics = metrics;
    }

    /** Exchanges an authorization code for the connected account's tokens. */
    public Uni<TokenResponse> exchangeCode(Secret secretKey, String code) {
        return metrics.counted(StripeMetrics.Call.EXCHANGE, retry.call(() -> client.token(bearer(secretKey), "authorization_code", code, null),
                        StripeRetry.Resend.IF_NOT_SENT, retry.callDeadline())
                .map(StripeAnswers::tokens));
    }

    /**
     * Rolls the tokens of the connection to {@code stripeUserId} in {@code livemode}
     * ({@code grant_type=refresh_token}); an answer for another account or mode is nonsense.
     */
    public Uni<TokenResponse> refresh(Secret secretKey, Secret refreshToken, String stripeUserId, boolean livemode) {
        return metrics.counted(StripeMetrics.Call.REFRESH, retry.call(() -> client.token(bearer(secretKey), "refresh_token", null, refreshToken.reveal()),
                        StripeRetry.Resend.IF_NOT_PROCESSED, retry.callDeadline())
                .map(tokens -> StripeAnswers.refreshed(tokens, stripeUserId, livemode)));
    }

    /**
     * Disconnects {@code stripeUserId} from the platform {@code clientId}. Completes when Stripe
     * confirms by naming the account, or says the account is not connected to this platform any
     * more (the outcome the caller wanted either way).
     */
    public Uni<Void> deauthorize(Secret secretKey, String clientId, String stripeUserId) {
        return metrics.counted(StripeMetrics.Call.DEAUTHORIZE, retry.call(() -> client.deauthorize(bearer(secretKey), clientId, stripeUserId),
                        StripeRetry.Resend.SAFE, retry.callDeadline())
                .map(answer -> {
                    StripeAnswers.deauthorized(answer, stripeUserId);
                    return (Void) null;
                }))
                .onFailure(StripeFailure.class).recoverWithUni(failure -> StripeAnswers.notConnected((StripeFailure) failure)
                        ? Uni.createFrom().voidItem()
                        : Uni.createFrom().failure(failure));
    }

    static String bearer(Secret secretKey) {
        return "Bearer " + secretKey.reveal();
    }
}
