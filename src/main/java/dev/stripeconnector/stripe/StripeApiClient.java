package dev.stripeconnector.stripe;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;
import io.quarkus.rest.client.reactive.ClientExceptionMapper;

/**
 * Stripe's API ({@code https://api.stripe.com}) as the connector's own calls use it. Only
 * {@link StripeApiGateway} uses it; an error answer becomes a {@link StripeFailure} here.
 */
@RegisterRestClient(configKey = "stripe-api")
@RegisterProvider(NotJsonAnswer.class)
@Path("/v1")
interface StripeApiClient {

    /** {@code GET /v1/account}: the connected account with {@code Stripe-Account}, the platform's own without. */
    @GET
    @Path("/account")
    @Produces(MediaType.APPLICATION_JSON)
    Uni<StripeAccount> account(@HeaderParam("Authorization") String bearerSecretKey,
                               @HeaderParam("Stripe-Account") String stripeAccount);

    @ClientExceptionMapper
    static RuntimeException toFailure(Response response) {
        String body = response.hasEntity() ? response.readEntity(String.class) : null;
        return StripeAnswers.apiError(response.getStatus(), body,
                response.getHeaderString("Retry-After"), response.getHeaderString("Stripe-Should-Retry"));
    }
}
