package dev.stripeconnector.connection;

import dev.stripeconnector.account.AccountConnectorView;
import dev.stripeconnector.common.AccountIds;
import dev.stripeconnector.security.ApiKeyFilter;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/accounts/{accountId}/connector")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Connections")
public class ConnectionResource {

    private final ConnectionService service;

    public ConnectionResource(ConnectionService service) {
        this.service = service;
    }

    @POST
    @Path("/verify")
    @Operation(summary = "Ask Stripe about the connected account; records its facts, or that access was revoked")
    public AccountConnectorView verify(@PathParam("accountId") @Pattern(regexp = AccountIds.PATTERN, message = AccountIds.MESSAGE) String accountId) {
        return service.verify(accountId);
    }

    @POST
    @Path("/refresh")
    @Operation(summary = "Roll the access token with the refresh token")
    public AccountConnectorView refresh(@PathParam("accountId") @Pattern(regexp = AccountIds.PATTERN, message = AccountIds.MESSAGE) String accountId) {
        return service.refresh(accountId);
    }

    @GET
    @Path("/credentials")
    @Operation(summary = "The connection's access token and facts (API keys allowed to read credentials only)")
    public Response credentials(@PathParam("accountId") @Pattern(regexp = AccountIds.PATTERN, message = AccountIds.MESSAGE) String accountId,
                                @Context ContainerRequestContext request) {
        Credentials credentials = service.credentials(accountId, (String) request.getProperty(ApiKeyFilter.KEY_NAME));
        return Response.ok(credentials).header("Cache-Control", "no-store").build();
    }
}
