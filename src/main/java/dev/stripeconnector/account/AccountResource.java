package dev.stripeconnector.account;

import dev.stripeconnector.common.AccountIds;
import dev.stripeconnector.common.ApiDocument;
import dev.stripeconnector.common.Problem;
import dev.stripeconnector.connection.ConnectionService;
import dev.stripeconnector.connection.DisconnectResult;
import dev.stripeconnector.connector.PublicOrigins;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import dev.stripeconnector.partner.PartnerId;
import dev.stripeconnector.security.Callers;
import dev.stripeconnector.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/accounts")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Account setup")
@SecurityRequirement(name = ApiDocument.API_KEY)
@RolesAllowed(Roles.API)
@APIResponse(responseCode = "400", description = "An invalid path, query or body field (each named in errors)",
        content = @Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "401", description = "Missing or wrong API key", content = @Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "503", description = "The database cannot be reached (or Stripe is rate-limiting); retry after Retry-After",
        content = @Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)))
public class AccountResource {

    private final AccountService service;
    private final ConnectionService connections;
    private final PublicOrigins origins;
    private final SecurityIdentity caller;

    public AccountResource(AccountService service, ConnectionService connections, PublicOrigins origins, SecurityIdentity caller) {
        this.service = service;
        this.connections = connections;
        this.origins = origins;
        this.caller = caller;
    }

    @GET
    @Operation(summary = "List the caller's partner's installations in account id order, a page at a time, with how many there are")
    @APIResponse(responseCode = "200", description = "A page of installations and the total the filters keep; nextCursor is null on the last"
            + " page, previousCursor on the first",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = AccountService.Page.class)))
    public AccountService.Page listInstallations(@Parameter(description = "Only the installations with this status", schema = @Schema(implementation = ConnectorStatus.class)) @QueryParam("status") String status,
                                    @Parameter(description = "1 to 200 (default 50)", schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "200"))
                                    @QueryParam("limit") String limit,
                                    @Parameter(description = "a page's nextCursor (the page after it) or previousCursor (the page before it)")
                                    @QueryParam("cursor") String cursor,
                                    @Parameter(description = "Only the installations whose account id, name or Stripe account id (acct_…) contains"
                                            + " this text, whatever the case (at most 200 characters)")
                                    @QueryParam("q") String q) {
        return service.list(Callers.partnerOf(caller), status, limit, cursor, q);
    }

    @PUT
    @Path("/{accountId}/connector")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Install the connector for an account (idempotent), with optional overrides",
            description = "The first call creates the installation (201 with its Location); later calls update it (200). When neither the"
                    + " account nor the console provides the client ID or the key, it is stored with status needs_credentials and"
                    + " missing naming what its install link asks for. An omitted field keeps its value, null clears it. A new secret key is checked against Stripe before it is stored.")
    @RequestBody(required = false, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = AccountConnectorUpdate.class)))
    @APIResponse(responseCode = "201", description = "Installed", headers = @Header(name = "Location", description = "The installation's URL",
            schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = AccountConnectorView.class)))
    @APIResponse(responseCode = "200", description = "Updated", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = AccountConnectorView.class)))
    @APIResponse(responseCode = "409", description = "settings-in-use: the change would move the connection to another platform or mode, or leaves a"
            + " client ID and secret key that Stripe has shown to be of two platforms (detail: which, and what to fix)",
            content = @Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "413", description = "The body is larger than 64 KiB", content = @Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "415", description = "The body is not JSON", content = @Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "missing-credentials: the change would leave a connected installation without a"
            + " client ID or key (an installation that is not connected is stored with status needs_credentials instead)",
            content = @Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "502", description = "Stripe could not check the new key; nothing was stored",
            content = @Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)))
    public Response install(@PathParam("accountId") @Parameter(description = AccountIds.MESSAGE, schema = @Schema(type = SchemaType.STRING, pattern = AccountIds.PATTERN)) String accountId,
                            AccountConnectorUpdate update) {
        AccountIds.check(accountId);
        PartnerId partner = Callers.partnerOf(caller);
        AccountService.Installed installed = service.install(partner, accountId, update);
        if (installed.created()) {
            // The API's own configured origin (every partner's key calls it there), never the request's Host header.
            URI location = URI.create(origins.primary().url("/api/v1/accounts/" + accountId + "/connector"));
            return Response.created(location).entity(installed.view()).build();
        }
        return Response.ok(installed.view()).build();
    }

    @DELETE
    @Path("/{accountId}/connector")
    @Operation(summary = "Disconnect at Stripe (deauthorize) when connected, then remove the installation and its secrets",
            description = "When Stripe does not confirm, nothing is removed unless force=true. To keep the installation for a new link,"
                    + " POST …/connector/disconnect instead.")
    @APIResponse(responseCode = "200", description = "Removed; stripeNotified says whether Stripe confirmed",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = DisconnectResult.class)))
    @APIResponse(responseCode = "404", description = "The connector is not installed for the account",
            content = @Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "Stripe rejected the platform key or refused the request; nothing was removed",
            content = @Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "No client ID or key to tell Stripe with; nothing was removed",
            content = @Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "502", description = "Stripe did not confirm; nothing was removed",
            content = @Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)))
    public DisconnectResult uninstall(@PathParam("accountId") @Parameter(description = AccountIds.MESSAGE, schema = @Schema(type = SchemaType.STRING, pattern = AccountIds.PATTERN)) String accountId,
                                      @Parameter(description = "remove the installation even when Stripe does not confirm") @QueryParam("force") boolean force) {
        AccountIds.check(accountId);
        return connections.disconnect(Callers.partnerOf(caller), accountId, force);
    }

    @GET
    @Path("/{accountId}/connector")
    @Operation(summary = "The installation: status, effective values and their source, the connection, the last error, warnings")
    @APIResponse(responseCode = "200", description = "The installation", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = AccountConnectorView.class)))
    @APIResponse(responseCode = "404", description = "The connector is not installed for the account",
            content = @Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)))
    public AccountConnectorView getInstallation(@PathParam("accountId") @Parameter(description = AccountIds.MESSAGE, schema = @Schema(type = SchemaType.STRING, pattern = AccountIds.PATTERN)) String accountId) {
        AccountIds.check(accountId);
        return service.view(Callers.partnerOf(caller), accountId).orElseThrow(() -> new NotInstalled(accountId));
    }
}
