package dev.stripeconnector.stripe;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;
import io.quarkus.rest.client.reactive.ClientExceptionMapper;

/**
 * Stripe Connect's OAuth endpoints ({@code https://connect.stripe.com}). Only
 * {@link StripeConnectGateway} uses it. Every call authenticates with the platform's secret key
 * as a bearer token; an error answer becomes a {@link StripeFailure} here, classified by
 * {@link StripeAnswers}.
 */
@RegisterRestClient(configKey = "stripe-connect")
@RegisterProvider(NotJsonAnswer.class)
@Path("/oauth")
interface StripeConnectClient {

    /** Exchanges an authorization code ({@code grant_type=authorization_code}) or a refresh token. */
    @POST
    @Path("/token")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    Uni<TokenResponse> token(@HeaderParam("Authorization") String bearerSecretKey,
                             @FormParam("grant_type") String grantType,
                             @FormParam("code") String code,
                             @FormParam("refresh_token") String refreshToken);

    /** Disconnects a connected account from the platform {@code client_id}. */
    @POST
    @Path("/deauthorize")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    Uni<DeauthorizeResponse> deauthorize(@HeaderParam("Authorization") String bearerSecretKey,
                                         @FormParam("client_id") String clientId,
                                         @FormParam("stripe_user_id") String stripeUserId);

    @ClientExceptionMapper
    static RuntimeException toFailure(Response response) {
        String body = response.hasEntity() ? response.readEntity(String.class) : null;
        return StripeAnswers.oauthError(response.getStatus(), body,
                response.getHeaderString("Retry-After"), response.getHeaderString("Stripe-Should-Retry"));
    }
}
