package dev.stripeconnector.stripe;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stripeconnector.crypto.Secret;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.ConnectException;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;
import jakarta.ws.rs.core.Response;

/**
 * The one place that talks OAuth to Stripe Connect. It translates every answer into a
 * {@link TokenResponse}, a {@link StripeOAuthException} (Stripe said no) or a
 * {@link StripeUnavailableException} (no usable answer), so no other code sees HTTP statuses.
 *
 * <p>A code exchange is never retried: a code is single-use, and sending it twice revokes every
 * token issued from it. A timeout may mean Stripe already used the code.
 */
@ApplicationScoped
public class StripeConnectGateway {

    private static final Logger LOG = Logger.getLogger(StripeConnectGateway.class);

    private final StripeConnectClient client;
    private final ObjectMapper json;

    public StripeConnectGateway(@RestClient StripeConnectClient client, ObjectMapper json) {
        this.client = client;
        this.json = json;
    }

    /** Exchanges an authorization code for the connected account's tokens. */
    public Uni<TokenResponse> exchangeCode(Secret secretKey, String code) {
        return client.token(bearer(secretKey), "authorization_code", code, null)
                .onFailure().transform(StripeConnectGateway::unavailable)
                .map(this::tokens);
    }

    /** Rolls the tokens of a connection ({@code grant_type=refresh_token}). */
    public Uni<TokenResponse> refresh(Secret secretKey, Secret refreshToken) {
        return client.token(bearer(secretKey), "refresh_token", null, refreshToken.reveal())
                .onFailure().transform(StripeConnectGateway::unavailable)
                .map(this::tokens);
    }

    private TokenResponse tokens(Response response) {
        int status = response.getStatus();
        String body = response.hasEntity() ? response.readEntity(String.class) : null;
        if (status == 200) {
            try {
                TokenResponse tokens = json.readValue(body, TokenResponse.class);
                if (tokens != null && tokens.complete()) {
                    return tokens;
                }
            } catch (JsonProcessingException | RuntimeException e) {
                // Falls through: the body is not what Stripe documents.
            }
            LOG.warn("Stripe answered the token request with 200 but an unexpected body");
            throw new StripeUnavailableException("unexpected answer from Stripe", null);
        }
        if (status == 429 || status >= 500) {
            throw new StripeUnavailableException("HTTP " + status, null, status == 429);
        }
        OAuthError error = parseError(body);
        if (error != null && error.error() != null) {
            throw new StripeOAuthException(error.error(), error.description());
        }
        throw new StripeUnavailableException("HTTP " + status + " without an OAuth error", null);
    }

    private OAuthError parseError(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return json.readValue(body, OAuthError.class);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /**
     * Disconnects {@code stripeUserId} from the platform {@code clientId}. Completes when Stripe
     * confirms, or when Stripe says the account is not connected to this platform any more
     * (the outcome the caller wanted either way).
     */
    public Uni<Void> deauthorize(Secret secretKey, String clientId, String stripeUserId) {
        return client.deauthorize(bearer(secretKey), clientId, stripeUserId)
                .onFailure().transform(StripeConnectGateway::unavailable)
                .map(response -> {
                    int status = response.getStatus();
                    String body = response.hasEntity() ? response.readEntity(String.class) : null;
                    if (status == 200) {
                        return null;
                    }
                    if (status == 429 || status >= 500) {
                        throw new StripeUnavailableException("HTTP " + status, null, status == 429);
                    }
                    OAuthError error = parseError(body);
                    if (error != null && isNotConnected(error)) {
                        return null;
                    }
                    if (error != null && error.error() != null) {
                        throw new StripeOAuthException(error.error(), error.description());
                    }
                    throw new StripeUnavailableException("HTTP " + status + " without an OAuth error", null);
                });
    }

    /** Stripe's answer when the account already is not connected to this application. */
    private static boolean isNotConnected(OAuthError error) {
        String description = error.description() == null ? "" : error.description().toLowerCase(java.util.Locale.ROOT);
        return "invalid_client".equals(error.error()) && description.contains("not connected");
    }

    static Throwable unavailable(Throwable failure) {
        if (failure instanceof StripeUnavailableException) {
            return failure;
        }
        String reason = hasCause(failure, TimeoutException.class) || failure.getClass().getSimpleName().contains("Timeout")
                ? "timeout"
                : hasCause(failure, ConnectException.class) ? "connection refused" : "network error";
        LOG.warnf("Stripe Connect could not be reached (%s)", reason);
        return new StripeUnavailableException(reason, failure);
    }

    private static boolean hasCause(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t) || t.getClass().getSimpleName().contains(type.getSimpleName())) {
                return true;
            }
        }
        return false;
    }

    static String bearer(Secret secretKey) {
        return "Bearer " + secretKey.reveal();
    }
}
