package dev.stripeconnector.account;

import dev.stripeconnector.common.AccountIds;
import jakarta.validation.constraints.Pattern;
import dev.stripeconnector.connection.ConnectionService;
import dev.stripeconnector.connection.DisconnectResult;
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
import dev.stripeconnector.connector.ServiceUrls;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/accounts")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Account setup")
public class AccountResource {

    private final AccountService service;
    private final ConnectionService connections;
    private final ServiceUrls urls;

    public AccountResource(AccountService service, ConnectionService connections, ServiceUrls urls) {
        this.service = service;
        this.connections = connections;
        this.urls = urls;
    }

    @GET
    @Operation(summary = "List installations in account id order, a page at a time")
    public AccountService.Page list(@QueryParam("status") String status,
                                    @QueryParam("limit") String limit,
                                    @QueryParam("cursor") String cursor) {
        return service.list(status, limit, cursor);
    }

    @PUT
    @Path("/{accountId}/connector")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Install the connector for an account (idempotent), with optional overrides")
    public Response install(@PathParam("accountId") @Pattern(regexp = AccountIds.PATTERN, message = AccountIds.MESSAGE) String accountId,
                            AccountConnectorUpdate update) {
        AccountService.Installed installed = service.install(accountId, update);
        if (installed.created()) {
            // From the configured public base URL, never from the request's Host header.
            URI location = URI.create(urls.baseUrl() + "/api/v1/accounts/" + accountId + "/connector");
            return Response.created(location).entity(installed.view()).build();
        }
        return Response.ok(installed.view()).build();
    }

    @DELETE
    @Path("/{accountId}/connector")
    @Operation(summary = "Disconnect at Stripe (deauthorize) when connected, then remove the installation and its secrets")
    public DisconnectResult uninstall(@PathParam("accountId") @Pattern(regexp = AccountIds.PATTERN, message = AccountIds.MESSAGE) String accountId,
                                      @QueryParam("force") boolean force) {
        return connections.disconnect(accountId, force);
    }

    @GET
    @Path("/{accountId}/connector")
    @Operation(summary = "The installation: status, effective values and their source")
    public AccountConnectorView get(@PathParam("accountId") @Pattern(regexp = AccountIds.PATTERN, message = AccountIds.MESSAGE) String accountId) {
        return service.view(accountId).orElseThrow(() -> new NotInstalled(accountId));
    }
}
