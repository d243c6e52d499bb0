package dev.stripeconnector.stripe;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stripeconnector.crypto.Secret;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/** Typed calls to Stripe's API for a connected account; translates answers like {@link StripeConnectGateway}. */
@ApplicationScoped
public class StripeApiGateway {

    private static final Logger LOG = Logger.getLogger(StripeApiGateway.class);

    private final StripeApiClient client;
    private final ObjectMapper json;

    public StripeApiGateway(@RestClient StripeApiClient client, ObjectMapper json) {
        this.client = client;
        this.json = json;
    }

    /** {@code GET /v1/account} as the connected account sees it. */
    public Uni<StripeAccount> account(Secret secretKey, String stripeAccount) {
        return client.account(StripeConnectGateway.bearer(secretKey), stripeAccount)
                .onFailure().transform(StripeConnectGateway::unavailable)
                .map(this::account);
    }

    private StripeAccount account(Response response) {
        int status = response.getStatus();
        String body = response.hasEntity() ? response.readEntity(String.class) : null;
        if (status == 200) {
            try {
                StripeAccount account = json.readValue(body, StripeAccount.class);
                if (account != null && account.id() != null) {
                    return account;
                }
            } catch (JsonProcessingException | RuntimeException e) {
                // Falls through.
            }
            LOG.warn("Stripe answered GET /v1/account with 200 but an unexpected body");
            throw new StripeUnavailableException("unexpected answer from Stripe", null);
        }
        if (status == 401 || status == 403) {
            ApiError.Detail error = parseError(body);
            throw new StripeAccessRevokedException(
                    error != null && error.code() != null ? error.code() : "HTTP " + status,
                    error != null && error.message() != null ? error.message() : "Stripe refused access to the account");
        }
        if (status == 429) {
            throw new StripeUnavailableException("HTTP 429", null, true);
        }
        throw new StripeUnavailableException("HTTP " + status, null);
    }

    private ApiError.Detail parseError(String body) {
        try {
            ApiError error = body == null ? null : json.readValue(body, ApiError.class);
            return error == null ? null : error.error();
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}
