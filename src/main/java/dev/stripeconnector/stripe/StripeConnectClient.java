package dev.stripeconnector.stripe;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;
import jakarta.ws.rs.core.Response;

/**
 * Stripe Connect's OAuth endpoints ({@code https://connect.stripe.com}). Only
 * {@link StripeConnectGateway} uses it: it owns timeouts and error translation. Every call
 * authenticates with the platform's secret key as a bearer token. Error statuses come back as
 * answers, not exceptions ({@code microprofile.rest.client.disable.default.mapper}), so the
 * gateway can read Stripe's error body.
 */
@RegisterRestClient(configKey = "stripe-connect")
@Path("/oauth")
public interface StripeConnectClient {

    /** Exchanges an authorization code ({@code grant_type=authorization_code}) or a refresh token. */
    @POST
    @Path("/token")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    Uni<Response> token(@HeaderParam("Authorization") String bearerSecretKey,
                                    @FormParam("grant_type") String grantType,
                                    @FormParam("code") String code,
                                    @FormParam("refresh_token") String refreshToken);

    /** Disconnects a connected account from the platform. */
    @POST
    @Path("/deauthorize")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    Uni<Response> deauthorize(@HeaderParam("Authorization") String bearerSecretKey,
                              @FormParam("client_id") String clientId,
                              @FormParam("stripe_user_id") String stripeUserId);
}
