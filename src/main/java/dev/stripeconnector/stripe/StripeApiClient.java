package dev.stripeconnector.stripe;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * Stripe's API ({@code https://api.stripe.com}), called for a connected account with the
 * platform's secret key and {@code Stripe-Account}. Only {@link StripeApiGateway} uses it.
 */
@RegisterRestClient(configKey = "stripe-api")
@Path("/v1")
public interface StripeApiClient {

    /** The connected account itself. */
    @GET
    @Path("/account")
    @Produces(MediaType.APPLICATION_JSON)
    Uni<Response> account(@HeaderParam("Authorization") String bearerSecretKey,
                          @HeaderParam("Stripe-Account") String stripeAccount);
}
