package dev.stripeconnector.oauth;

import dev.stripeconnector.common.AccountIds;
import dev.stripeconnector.common.ApiDocument;
import dev.stripeconnector.common.Problem;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import dev.stripeconnector.security.Callers;
import dev.stripeconnector.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/accounts/{accountId}/connector/authorize")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Connect with Stripe")
@SecurityRequirement(name = ApiDocument.API_KEY)
@RolesAllowed(Roles.API)
public class AuthorizeResource {

    private final AuthorizationService service;
    private final SecurityIdentity caller;

    public AuthorizeResource(AuthorizationService service, SecurityIdentity caller) {
        this.service = service;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create Stripe's authorize URL and a single-use setup link for a person",
            description = "The setup link works once, for CONNECTOR_INSTALL_LINK_TTL (expiresAt); the authorize URL once, for"
                    + " CONNECTOR_OAUTH_STATE_TTL (authorizeUrlExpiresAt). An installation that needs credentials gets the setup"
                    + " link only (authorizeUrl null, missing names what the link asks for). Every body field is optional.")
    @RequestBody(required = false, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = AuthorizeRequestBody.class)))
    @APIResponse(responseCode = "200", description = "The setup link and, unless credentials are missing, the authorize URL, with when they expire",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = AuthorizeResponse.class)))
    @APIResponse(responseCode = "400", description = "An invalid field (each named in errors), e.g. a returnUrl outside the allow-list",
            content = @Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "401", description = "Missing or wrong API key", content = @Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "The connector is not installed for the account",
            content = @Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "settings-in-use: the client ID and the secret key belong to two Stripe platforms (the key's,"
            + " recorded when it was saved, against the one recorded for the client ID's earlier connections); detail says what to fix."
            + " Nothing stored", content = @Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "413", description = "The body is larger than 64 KiB", content = @Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "415", description = "The body is not JSON", content = @Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "The database cannot be reached; retry after Retry-After",
            content = @Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)))
    public AuthorizeResponse authorize(@PathParam("accountId") @Parameter(description = AccountIds.MESSAGE, schema = @Schema(type = SchemaType.STRING, pattern = AccountIds.PATTERN)) String accountId,
                                       AuthorizeRequestBody body) {
        AccountIds.check(accountId);
        return service.create(Callers.partnerOf(caller), accountId, body);
    }
}
