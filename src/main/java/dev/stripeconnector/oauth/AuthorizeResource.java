package dev.stripeconnector.oauth;

import dev.stripeconnector.common.AccountIds;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/accounts/{accountId}/connector/authorize")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Connect with Stripe")
public class AuthorizeResource {

    private final AuthorizationService service;

    public AuthorizeResource(AuthorizationService service) {
        this.service = service;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create Stripe's authorize URL and a single-use setup link for a person")
    public AuthorizeResponse authorize(@PathParam("accountId") @Pattern(regexp = AccountIds.PATTERN, message = AccountIds.MESSAGE) String accountId,
                                       AuthorizeRequestBody body) {
        return service.create(accountId, body);
    }
}
