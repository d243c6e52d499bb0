package dev.stripeconnector.connection;

import dev.stripeconnector.account.AccountConnectorView;
import dev.stripeconnector.common.AccountIds;
import dev.stripeconnector.common.ApiDocument;
import dev.stripeconnector.common.Problem;
import dev.stripeconnector.security.Callers;
import dev.stripeconnector.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/accounts/{accountId}/connector")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Connections")
@SecurityRequirement(name = ApiDocument.API_KEY)
@RolesAllowed(Roles.API)
@APIResponse(responseCode = "400", description = "An invalid account id", content = @Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "401", description = "Missing or wrong API key", content = @Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "404", description = "The connector is not installed for the account",
        content = @Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "409", description = "not-connected, reconnect-needed, platform-key-rejected or permission-missing (see type)",
        content = @Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "503", description = "The database cannot be reached, Stripe is rate-limiting, or a concurrent refresh is still running;"
        + " retry after Retry-After", content = @Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)))
public class ConnectionResource {

    private final ConnectionService service;
    private final SecurityIdentity caller;

    public ConnectionResource(ConnectionService service, SecurityIdentity caller) {
        this.service = service;
        this.caller = caller;
    }

    @POST
    @Path("/verify")
    @Operation(summary = "Ask Stripe about the connected account; records its facts, or that the platform lost access to it",
            description = "A revocation counts only once the platform key is shown to work: then 200 with status revoked (tokens kept)."
                    + " A rejected key or a missing permission is recorded on the installation and answered 409; the connection is left alone.")
    @APIResponse(responseCode = "200", description = "The installation after Stripe answered",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = AccountConnectorView.class)))
    @APIResponse(responseCode = "422", description = "missing-credentials: no secret key to ask Stripe with",
            content = @Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "502", description = "Stripe gave no usable answer; nothing was changed",
            content = @Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)))
    public AccountConnectorView verify(@PathParam("accountId") @Parameter(description = AccountIds.MESSAGE, schema = @Schema(type = SchemaType.STRING, pattern = AccountIds.PATTERN)) String accountId) {
        AccountIds.check(accountId);
        return service.verify(Callers.partnerOf(caller), accountId);
    }

    @POST
    @Path("/refresh")
    @Operation(summary = "Roll the access token with the refresh token",
            description = "Concurrent refreshes on every replica send one request to Stripe and all answer with its tokens.")
    @APIResponse(responseCode = "200", description = "The installation with its rolled tokens (tokensRefreshedAt)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = AccountConnectorView.class)))
    @APIResponse(responseCode = "422", description = "missing-credentials: no secret key to ask Stripe with",
            content = @Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "502", description = "Stripe gave no usable answer; nothing was changed",
            content = @Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)))
    public AccountConnectorView refresh(@PathParam("accountId") @Parameter(description = AccountIds.MESSAGE, schema = @Schema(type = SchemaType.STRING, pattern = AccountIds.PATTERN)) String accountId) {
        AccountIds.check(accountId);
        return service.refresh(Callers.partnerOf(caller), accountId);
    }

    @POST
    @Path("/disconnect")
    @Operation(summary = "Disconnect at Stripe (deauthorize) and keep the installation, ready for a new link",
            description = "The connection and its tokens are wiped (status disconnected); the account's own client ID and secret key stay,"
                    + " so authorize works at once. When Stripe does not confirm, nothing is changed unless force=true, which wipes the"
                    + " connection here without telling Stripe (lastError disconnect_unconfirmed says so). An installation without a"
                    + " connection is answered as it is. DELETE on the installation removes it instead.")
    @APIResponse(responseCode = "200", description = "The installation after the disconnect",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = AccountConnectorView.class)))
    @APIResponse(responseCode = "422", description = "missing-credentials: no client ID or key to tell Stripe with; nothing was changed",
            content = @Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "502", description = "Stripe did not confirm; nothing was changed",
            content = @Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)))
    public AccountConnectorView disconnect(@PathParam("accountId") @Parameter(description = AccountIds.MESSAGE, schema = @Schema(type = SchemaType.STRING, pattern = AccountIds.PATTERN)) String accountId,
                                           @Parameter(description = "wipe the connection here even when Stripe does not confirm") @QueryParam("force") boolean force) {
        AccountIds.check(accountId);
        return service.disconnectKeeping(Callers.partnerOf(caller), accountId, force);
    }

    @GET
    @Path("/credentials")
    @Operation(summary = "The connection's access token and facts (API keys allowed to read credentials only); every read is recorded")
    @RolesAllowed(Roles.CREDENTIALS_READER)
    @APIResponse(responseCode = "200", description = "The credentials; never cache them (Cache-Control: no-store)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Credentials.class)))
    @APIResponse(responseCode = "403", description = "This API key may not read credentials (CONNECTOR_CREDENTIAL_READERS)",
            content = @Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)))
    public Response credentials(@PathParam("accountId") @Parameter(description = AccountIds.MESSAGE, schema = @Schema(type = SchemaType.STRING, pattern = AccountIds.PATTERN)) String accountId) {
        AccountIds.check(accountId);
        String reader = caller.getPrincipal().getName();
        Credentials credentials = service.credentials(Callers.partnerOf(caller), accountId, reader);
        return Response.ok(credentials).header("Cache-Control", "no-store").build();
    }
}
